namespace BaiQianWan.Assess.Portal.Models;

/// <summary>The change-password page.</summary>
/// <param name="Frame">Layout.</param>
/// <param name="Required">True when a one-time password must be replaced before anything else.</param>
public sealed record PasswordPageModel(PageFrame Frame, bool Required);
