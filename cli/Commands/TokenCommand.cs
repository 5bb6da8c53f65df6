using System.CommandLine;
using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary>
/// <c>token --role unit --unit 440825</c>: issues an HS256 bearer token for the HTTP API, signed with the configured
/// key (<c>--key</c>, else the environment's <c>Auth__SigningKey</c>), for operators to hand to offices, authors and units.
/// </summary>
internal static class TokenCommand
{
    /// <summary>Issuer the API expects unless configured otherwise (<c>Auth:Issuer</c>).</summary>
    public const string DefaultIssuer = "baiqianwan-assess";

    /// <summary>Audience the API expects unless configured otherwise (<c>Auth:Audience</c>).</summary>
    public const string DefaultAudience = "baiqianwan-assess-api";

    /// <summary>Longest lifetime a token may be issued for: ten years (a longer one overflows the calendar sooner or later).</summary>
    public const int MaxHours = 87_600;

    private static readonly string[] Roles = ["office", "author", "unit"];

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var role = new Option<string>("--role") { Description = "角色：office（考核办，全部权限）、author（规则作者）、unit（单位，只看本单位）", Required = true };
        role.AcceptOnlyFromAmong(Roles);
        var unit = new Option<string?>("--unit") { Description = "单位代码（role=unit 时必填）" };
        var subject = new Option<string?>("--subject") { Description = "令牌主体（审计日志中的操作人），默认按角色生成" };
        var key = new Option<string?>("--key") { Description = "签名密钥（base64，至少 32 字节）；默认读环境变量 Auth__SigningKey" };
        var hours = new Option<int>("--hours") { Description = "有效小时数", DefaultValueFactory = _ => 720 };
        var issuer = new Option<string>("--issuer") { Description = "签发者（与 Auth:Issuer 一致）", DefaultValueFactory = _ => DefaultIssuer };
        var audience = new Option<string>("--audience") { Description = "受众（与 Auth:Audience 一致）", DefaultValueFactory = _ => DefaultAudience };
        var command = new Command("token", "为 HTTP API 签发访问令牌（HS256）") { role, unit, subject, key, hours, issuer, audience };
        command.SetAction(parse => Run(parse.GetValue(role)!, parse.GetValue(unit), parse.GetValue(subject),
            parse.GetValue(key) ?? Environment.GetEnvironmentVariable("Auth__SigningKey"), parse.GetValue(hours),
            parse.GetValue(issuer)!, parse.GetValue(audience)!, DateTimeOffset.UtcNow, stdout, stderr));
        return command;
    }

    public static int Run(string role, string? unit, string? subject, string? keyBase64, int hours, string issuer, string audience,
        DateTimeOffset now, TextWriter stdout, TextWriter stderr)
    {
        if (role == "unit" && string.IsNullOrWhiteSpace(unit))
        {
            stderr.WriteLine("role=unit 需要 --unit 单位代码");
            return CliApp.InvalidInput;
        }
        if (role != "unit" && unit is not null)
        {
            stderr.WriteLine("--unit 只用于 role=unit");
            return CliApp.InvalidInput;
        }
        if (hours is <= 0 or > MaxHours)
        {
            stderr.WriteLine($"--hours 应在 1 到 {MaxHours}（十年）之间，这里是 {hours}");
            return CliApp.InvalidInput;
        }
        if (!TryKey(keyBase64, out var key, out var problem))
        {
            stderr.WriteLine(problem);
            return CliApp.InvalidInput;
        }
        stdout.WriteLine(Issue(key, role, unit, subject ?? (unit is null ? role : $"unit:{unit}"), issuer, audience, now, TimeSpan.FromHours(hours)));
        return CliApp.Ok;
    }

    /// <summary>Decodes a signing key: base64 of at least 32 bytes (HS256 needs 256 bits).</summary>
    public static bool TryKey(string? keyBase64, out byte[] key, out string problem)
    {
        key = [];
        problem = "";
        if (string.IsNullOrWhiteSpace(keyBase64))
        {
            problem = "没有签名密钥：用 --key 指定，或设置环境变量 Auth__SigningKey（base64，至少 32 字节）";
            return false;
        }
        try
        {
            key = Convert.FromBase64String(keyBase64.Trim());
        }
        catch (FormatException)
        {
            problem = "签名密钥不是有效的 base64";
            return false;
        }
        if (key.Length < 32)
        {
            problem = $"签名密钥只有 {key.Length} 字节，至少需要 32 字节";
            return false;
        }
        return true;
    }

    /// <summary>Creates a signed token with claims <c>sub</c>, <c>role</c> and (for units) <c>unit</c>.</summary>
    public static string Issue(byte[] key, string role, string? unit, string subject, string issuer, string audience, DateTimeOffset now, TimeSpan lifetime)
    {
        var claims = new List<Claim> { new("sub", subject), new("role", role) };
        if (unit is not null) claims.Add(new Claim("unit", unit));
        var token = new JwtSecurityToken(issuer, audience, claims, now.UtcDateTime, now.Add(lifetime).UtcDateTime,
            new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }
}
