namespace BaiQianWan.Assess.Portal.Models;

/// <summary>An error page (403, 404, …).</summary>
/// <param name="Frame">Layout.</param>
/// <param name="Status">HTTP status.</param>
/// <param name="Message">What happened, in Chinese.</param>
public sealed record ErrorPageModel(PageFrame Frame, int Status, string Message);
