using BaiQianWan.Assess.Portal.Auth;

namespace BaiQianWan.Assess.Functions.Portal;

/// <summary>What signs the portal's sessions and forms.</summary>
/// <param name="Sessions">Session tokens, or null when no shared key is configured (Easy Auth only).</param>
/// <param name="Antiforgery">Form tokens.</param>
public sealed record PortalKeys(SessionTokens? Sessions, Antiforgery Antiforgery);
