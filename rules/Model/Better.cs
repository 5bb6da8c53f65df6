namespace BaiQianWan.Assess.Rules.Model;

/// <summary>Which direction of an indicator's value is better.</summary>
public enum Better
{
    /// <summary>More is better (the default).</summary>
    Higher,
    /// <summary>Less is better (逆向指标, e.g. energy use per unit of GDP).</summary>
    Lower,
}
