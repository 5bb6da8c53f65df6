namespace BaiQianWan.Assess.Tests.Formulas.Closures;

/// <summary>
/// A binary operator as a static abstract member, implemented by structs: a closure generic over such a struct
/// is compiled once per operator with the operation inlined, so the tree needs one delegate call per node, not two.
/// </summary>
internal interface IBinaryOperation
{
    static abstract decimal Apply(decimal left, decimal right);
}
