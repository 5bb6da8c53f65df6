namespace BaiQianWan.Assess.Portal.Models;

/// <summary>What every page's layout needs: the title, who is signed in, the antiforgery token for its forms and messages.</summary>
/// <param name="Title">The page title (also the document title).</param>
/// <param name="User">Who is signed in, or null (sign-in page).</param>
/// <param name="AntiforgeryToken">The token every form on the page carries.</param>
/// <param name="Section">Which navigation entry is current (e.g. <c>runs</c>).</param>
/// <param name="Notice">A success message to show, or null.</param>
/// <param name="Alert">An error message to show, or null.</param>
public sealed record PageFrame(string Title, Auth.PortalUser? User, string AntiforgeryToken, string Section, string? Notice, string? Alert);
