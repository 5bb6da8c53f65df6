using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>The vetoes of <c>adjustments</c> (spec 2.2, v3 <c>exclude</c>).</summary>
internal sealed partial class RulesetReader
{
    /// <summary>
    /// A veto (spec 2.2): <c>grade</c> (the best grade a vetoed unit keeps, one of <c>grades</c>), <c>when</c> (a formula of
    /// <c>count</c>), (v3) <c>exclude: true</c> (取消参评资格: scored, not ranked, graded or listed; then no <c>grade</c>).
    /// </summary>
    private Adjustment? ReadVeto(YamlMapping map, string id, string? name, string what, GradeScheme? grades)
    {
        var exclude = false;
        if (map["exclude"] is { } excludeNode)
        {
            if (excludeNode is YamlScalar { IsPlain: true } ex && ex.Value is "true" or "false") exclude = ex.Value == "true";
            else
            {
                Error(excludeNode, $"exclude 应为 true 或 false，这里是 {Show(excludeNode)}", RulesetCodes.ExcludeNotBoolean);
                return null;
            }
        }
        string? grade = null;
        if (map["grade"] is { } gradeNode && ScalarText(gradeNode, "grade") is { } g)
        {
            var failed = false;
            if (exclude)
            {
                Error(gradeNode, $"{what} 取消参评资格（exclude: true），不参加等次评定，不能再有 grade", RulesetCodes.ExcludeWithGrade);
                failed = true;
            }
            if (grades is { Levels.IsEmpty: true })
            {
                Error(gradeNode, $"否决后的等级 '{g}' 不是等级：规则集没有 grades", RulesetCodes.VetoGradeWithoutGrades);
                failed = true;
            }
            else if (grades is not null && grades.IndexOf(g) < 0)
            {
                Error(gradeNode, $"否决后的等级 '{g}' 不是 grades 中的等级", RulesetCodes.VetoGrade);
                failed = true;
            }
            if (failed) return null;
            grade = g;
        }
        string? when = null;
        SourcePosition? whenPos = null;
        if (map["when"] is { } whenNode)
        {
            when = CheckFormula(whenNode, FormulaContext.Adjustment);
            if (when is null) return null;
            whenPos = whenNode.Position;
        }
        return new Adjustment(id, name!, AdjustmentKind.Veto, null, null, null, grade, when, map.Position, whenPos) { Exclude = exclude };
    }
}
