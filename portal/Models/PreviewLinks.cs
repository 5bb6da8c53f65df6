namespace BaiQianWan.Assess.Portal.Models;

/// <summary>Where a preview leads: back to the editor on the version, to its diff, and who makes it the version in use.</summary>
/// <param name="Edit">The editor on the previewed version.</param>
/// <param name="Diff">The diff with the active version (or, with none active or this one active, with the previous version), or null.</param>
/// <param name="DiffText">The diff link's words.</param>
/// <param name="Activation">Who activates the version, and where.</param>
public sealed record PreviewLinks(string Edit, string? Diff, string? DiffText, string Activation);
