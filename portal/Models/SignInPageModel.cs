namespace BaiQianWan.Assess.Portal.Models;

/// <summary>The sign-in page.</summary>
/// <param name="Frame">Layout.</param>
/// <param name="Name">The name typed before, kept after a refusal.</param>
/// <param name="ReturnUrl">Where to go after signing in.</param>
public sealed record SignInPageModel(PageFrame Frame, string? Name, string? ReturnUrl);
