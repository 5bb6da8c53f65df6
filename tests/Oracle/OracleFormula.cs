using System.Globalization;

namespace BaiQianWan.Assess.Tests.Oracle;

/// <summary>A run-time failure of a formula (spec 2.3): non-whole exponent or ROUND digits.
/// Division by zero and overflow surface as the usual .NET exceptions; callers catch all three.</summary>
internal sealed class FormulaFailure(string message) : Exception(message);

/// <summary>
/// Independent, deliberately simple recursive-descent interpreter for spec 2.3 formulas over decimal.
/// Parsed once into a tree; evaluation walks the tree with a variable lookup.
/// Precedence (low to high): comparisons, + -, * /, unary minus, ^.
/// </summary>
internal sealed class OracleFormula
{
    private readonly Node _root;

    /// <summary>Every variable name the text mentions (lower case), whichever branch would be taken.</summary>
    public IReadOnlySet<string> Names { get; }

    private OracleFormula(Node root, HashSet<string> names)
    {
        _root = root;
        Names = names;
    }

    public static OracleFormula Parse(string text)
    {
        var p = new Parser(text);
        var root = p.ParseAll();
        return new OracleFormula(root, p.Names);
    }

    /// <summary>Evaluates; throws DivideByZeroException, OverflowException or FormulaFailure on failure.</summary>
    public decimal Eval(Func<string, decimal> variable) => _root.Eval(variable);

    /// <summary>Evaluates with the defined variables (lower-case keys, computed lazily); null when the text
    /// names an undefined variable or on any run-time failure (division by zero, overflow, non-whole).</summary>
    public decimal? TryEval(IReadOnlyDictionary<string, Func<decimal>> vars)
    {
        foreach (var n in Names)
            if (!vars.ContainsKey(n)) return null;
        try { return Eval(n => vars[n]()); }
        catch (DivideByZeroException) { return null; }
        catch (OverflowException) { return null; }
        catch (FormulaFailure) { return null; }
    }

    // ---------------- tree ----------------

    private abstract class Node
    {
        public abstract decimal Eval(Func<string, decimal> v);
    }

    private sealed class Num(decimal value) : Node
    {
        public override decimal Eval(Func<string, decimal> v) => value;
    }

    private sealed class Var(string name) : Node
    {
        public override decimal Eval(Func<string, decimal> v) => v(name);
    }

    private sealed class Neg(Node x) : Node
    {
        public override decimal Eval(Func<string, decimal> v) => -x.Eval(v);
    }

    private sealed class Bin(string op, Node l, Node r) : Node
    {
        public override decimal Eval(Func<string, decimal> v)
        {
            decimal a = l.Eval(v);
            decimal b = r.Eval(v);
            return op switch
            {
                "+" => a + b,
                "-" => a - b,
                "*" => a * b,
                "/" => a / b, // DivideByZeroException when b == 0
                "^" => Pow(a, b),
                "=" => a == b ? 1m : 0m,
                "<>" => a != b ? 1m : 0m,
                "<" => a < b ? 1m : 0m,
                "<=" => a <= b ? 1m : 0m,
                ">" => a > b ? 1m : 0m,
                ">=" => a >= b ? 1m : 0m,
                _ => throw new InvalidOperationException(op),
            };
        }
    }

    private sealed class Call(string fn, List<Node> args) : Node
    {
        public override decimal Eval(Func<string, decimal> v)
        {
            switch (fn)
            {
                case "if":
                    // only the taken branch is evaluated
                    if (args[0].Eval(v) != 0m) return args[1].Eval(v);
                    return args.Count == 3 ? args[2].Eval(v) : 0m;
                case "and":
                {
                    bool all = true;
                    foreach (var a in args) if (a.Eval(v) == 0m) all = false; // evaluate every argument
                    return all ? 1m : 0m;
                }
                case "or":
                {
                    bool any = false;
                    foreach (var a in args) if (a.Eval(v) != 0m) any = true;
                    return any ? 1m : 0m;
                }
                case "not":
                    return args[0].Eval(v) == 0m ? 1m : 0m;
                case "min":
                {
                    decimal m = args[0].Eval(v);
                    for (int i = 1; i < args.Count; i++) m = Math.Min(m, args[i].Eval(v));
                    return m;
                }
                case "max":
                {
                    decimal m = args[0].Eval(v);
                    for (int i = 1; i < args.Count; i++) m = Math.Max(m, args[i].Eval(v));
                    return m;
                }
                case "abs":
                    return Math.Abs(args[0].Eval(v));
                case "round":
                    return Round(args[0].Eval(v), args[1].Eval(v));
                case "clamp":
                {
                    decimal x = args[0].Eval(v), lo = args[1].Eval(v), hi = args[2].Eval(v);
                    return Math.Max(lo, Math.Min(x, hi)); // lo > hi gives lo
                }
                case "floor":
                case "ceiling":
                {
                    // (v3) one argument: the whole number below (above); two: that many steps s > 0 (Excel FLOOR.MATH).
                    decimal x = args[0].Eval(v);
                    decimal s = args.Count == 2 ? args[1].Eval(v) : 1m;
                    if (s <= 0m) throw new FormulaFailure("FLOOR/CEILING step not above 0");
                    decimal q = args.Count == 2 ? x / s : x;
                    decimal whole = fn == "floor" ? Math.Floor(q) : Math.Ceiling(q);
                    return args.Count == 2 ? s * whole : whole;
                }
                case "trunc":
                {
                    // (v3) drop digits toward zero after n places (negative n: tens, hundreds).
                    decimal x = args[0].Eval(v);
                    decimal n = args.Count == 2 ? args[1].Eval(v) : 0m;
                    if (n != decimal.Truncate(n)) throw new FormulaFailure("non-whole TRUNC digits");
                    if (n > 28m) return x;
                    if (n >= 0m) return Math.Round(x, (int)n, MidpointRounding.ToZero);
                    if (n < -28m) return 0m;
                    decimal p = 1m;
                    for (int i = 0; i < (int)-n; i++) p *= 10m;
                    return Math.Truncate(x / p) * p;
                }
                default:
                    throw new InvalidOperationException("unknown function " + fn);
            }
        }
    }

    /// <summary>x^e with whole e; negative e is 1 / x^|e|.</summary>
    internal static decimal Pow(decimal x, decimal e)
    {
        if (e != decimal.Truncate(e)) throw new FormulaFailure("non-whole exponent");
        bool negative = e < 0;
        decimal n = Math.Abs(e);
        decimal r;
        if (x == 0m) r = n == 0m ? 1m : 0m;
        else if (x == 1m) r = 1m;
        else if (x == -1m) r = n % 2m == 0m ? 1m : -1m;
        else if (n <= 4096m)
        {
            r = 1m;
            for (decimal i = 0; i < n; i++)
            {
                r *= x; // OverflowException when too big
                if (r == 0m) break;
            }
        }
        else
        {
            // |x| != 0, 1: a huge power either overflows or vanishes
            if (Math.Abs(x) > 1m) throw new OverflowException("power overflow");
            r = 0m;
        }
        return negative ? 1m / r : r;
    }

    /// <summary>ROUND(x, n): n whole (negative rounds to tens, hundreds...), half away from zero.</summary>
    internal static decimal Round(decimal x, decimal n)
    {
        if (n != decimal.Truncate(n)) throw new FormulaFailure("non-whole ROUND digits");
        if (n >= 0m)
        {
            if (n > 28m) return x;
            return Math.Round(x, (int)n, MidpointRounding.AwayFromZero);
        }
        decimal k = -n;
        if (k > 28m)
        {
            // 10^k > 7.9e28 > |x|: rounds to 0, except 10^29 * 1 when |x| >= 5e28 (overflow)
            if (k == 29m && Math.Abs(x) >= 50_000_000_000_000_000_000_000_000_000m)
                throw new OverflowException("ROUND overflow");
            return 0m;
        }
        decimal p = 1m;
        for (int i = 0; i < (int)k; i++) p *= 10m;
        return Math.Round(x / p, 0, MidpointRounding.AwayFromZero) * p;
    }

    // ---------------- parser ----------------

    private sealed class Parser
    {
        private readonly List<(string kind, string text)> _toks = new();
        private int _pos;
        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

        public Parser(string text)
        {
            var s = text.Trim();
            if (s.StartsWith('=')) s = s[1..];
            Tokenize(s);
        }

        private void Tokenize(string s)
        {
            int i = 0;
            while (i < s.Length)
            {
                char c = s[i];
                if (char.IsWhiteSpace(c)) { i++; continue; }
                if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1])))
                {
                    int st = i;
                    while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
                    if (i < s.Length && s[i] == '.') { i++; while (i < s.Length && char.IsAsciiDigit(s[i])) i++; }
                    // optional exponent: E[+-]digits
                    if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
                    {
                        int j = i + 1;
                        if (j < s.Length && (s[j] == '+' || s[j] == '-')) j++;
                        if (j < s.Length && char.IsAsciiDigit(s[j]))
                        {
                            i = j;
                            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
                        }
                    }
                    _toks.Add(("num", s[st..i]));
                    continue;
                }
                if (char.IsAsciiLetter(c) || c == '_')
                {
                    int st = i;
                    while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] == '_')) i++;
                    _toks.Add(("name", s[st..i].ToLowerInvariant()));
                    continue;
                }
                if (i + 1 < s.Length)
                {
                    string two = s.Substring(i, 2);
                    if (two is "<=" or ">=" or "<>")
                    {
                        _toks.Add(("op", two));
                        i += 2;
                        continue;
                    }
                }
                if ("+-*/^=<>(),".Contains(c))
                {
                    _toks.Add(("op", c.ToString()));
                    i++;
                    continue;
                }
                throw new FormatException($"bad character '{c}' in formula");
            }
        }

        private (string kind, string text) Peek => _pos < _toks.Count ? _toks[_pos] : ("eof", "");

        private bool IsOp(string op) => Peek.kind == "op" && Peek.text == op;

        private void Expect(string op)
        {
            if (!IsOp(op)) throw new FormatException($"expected '{op}' in formula");
            _pos++;
        }

        public Node ParseAll()
        {
            var n = Comparison();
            if (_pos != _toks.Count) throw new FormatException("trailing text in formula");
            return n;
        }

        private Node Comparison()
        {
            var l = Additive();
            while (Peek.kind == "op" && Peek.text is "=" or "<>" or "<" or "<=" or ">" or ">=")
            {
                var op = _toks[_pos++].text;
                l = new Bin(op, l, Additive());
            }
            return l;
        }

        private Node Additive()
        {
            var l = Term();
            while (IsOp("+") || IsOp("-"))
            {
                var op = _toks[_pos++].text;
                l = new Bin(op, l, Term());
            }
            return l;
        }

        private Node Term()
        {
            var l = Unary();
            while (IsOp("*") || IsOp("/"))
            {
                var op = _toks[_pos++].text;
                l = new Bin(op, l, Unary());
            }
            return l;
        }

        private Node Unary()
        {
            if (IsOp("-")) { _pos++; return new Neg(Unary()); }
            if (IsOp("+")) { _pos++; return Unary(); }
            return Power();
        }

        private Node Power()
        {
            var b = Primary();
            if (IsOp("^"))
            {
                _pos++;
                var e = Exponent();
                if (IsOp("^")) throw new FormatException("a^b^c needs parentheses");
                return new Bin("^", b, e);
            }
            return b;
        }

        /// <summary>The right side of ^: a primary, optionally signed (2^-1).</summary>
        private Node Exponent()
        {
            if (IsOp("-")) { _pos++; return new Neg(Exponent()); }
            if (IsOp("+")) { _pos++; return Exponent(); }
            return Primary();
        }

        private Node Primary()
        {
            var t = Peek;
            if (t.kind == "num")
            {
                _pos++;
                return new Num(decimal.Parse(t.text, NumberStyles.Float, CultureInfo.InvariantCulture));
            }
            if (t.kind == "name")
            {
                _pos++;
                if (IsOp("("))
                {
                    _pos++;
                    var args = new List<Node>();
                    if (!IsOp(")"))
                    {
                        args.Add(Comparison());
                        while (IsOp(",")) { _pos++; args.Add(Comparison()); }
                    }
                    Expect(")");
                    CheckArity(t.text, args.Count);
                    return new Call(t.text, args);
                }
                Names.Add(t.text);
                return new Var(t.text);
            }
            if (IsOp("("))
            {
                _pos++;
                var n = Comparison();
                Expect(")");
                return n;
            }
            throw new FormatException("unexpected token in formula: " + t.text);
        }

        private static void CheckArity(string fn, int n)
        {
            bool ok = fn switch
            {
                "if" => n is 2 or 3,
                "and" or "or" or "min" or "max" => n >= 1,
                "not" or "abs" => n == 1,
                "round" => n == 2,
                "clamp" => n == 3,
                "floor" or "ceiling" or "trunc" => n is 1 or 2,
                _ => throw new FormatException("unknown function " + fn),
            };
            if (!ok) throw new FormatException($"wrong argument count for {fn}");
        }
    }
}
