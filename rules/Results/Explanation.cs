namespace BaiQianWan.Assess.Rules.Results;

/// <summary>
/// How an indicator's score came about, in Chinese with the numbers used. Evaluation records the numbers;
/// the sentence is composed only when asked for, so scoring stays cheap.
/// </summary>
public abstract class Explanation
{
    private string? _text;

    /// <summary>The explanation as one line of Chinese text.</summary>
    public string Text => _text ??= Compose();

    /// <summary>An explanation that is already text (e.g. read back from results JSON).</summary>
    public static Explanation FromText(string text) => new TextExplanation(text);

    /// <summary>Composes the sentence.</summary>
    protected abstract string Compose();

    /// <inheritdoc />
    public override string ToString() => Text;

    private sealed class TextExplanation(string text) : Explanation
    {
        protected override string Compose() => text;
    }
}
