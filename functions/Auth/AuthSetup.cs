using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace BaiQianWan.Assess.Functions.Auth;

/// <summary>JWT bearer authentication (a shared HS256 key or an OpenID authority) and the role policies.</summary>
public static class AuthSetup
{
    /// <summary>Registers authentication (configured from the <c>Auth</c> section when first used) and the policies.</summary>
    public static IServiceCollection AddAssessAuth(this IServiceCollection services)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IConfiguration>((o, configuration) =>
        {
            var options = Options(configuration);
            var key = SigningKey(options);
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = key is not null,
                ValidIssuer = options.Issuer,
                ValidateAudience = true,
                ValidAudience = options.Audience,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.FromMinutes(1),
                NameClaimType = Roles.SubjectClaim,
                RoleClaimType = Roles.RoleClaim,
            };
            if (key is not null)
            {
                o.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(key);
                o.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
            }
            else
            {
                o.Authority = options.Authority;
                o.Audience = options.Audience;
            }
        });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Office, p => p.RequireRole(Roles.Office))
            .AddPolicy(Policies.Rulesets, p => p.RequireRole(Roles.Office, Roles.Author))
            .AddPolicy(Policies.Scorecard, p => p.RequireAssertion(c =>
                c.User.IsInRole(Roles.Office) || (c.User.IsInRole(Roles.Unit) && !string.IsNullOrEmpty(c.User.FindFirstValue(Roles.UnitClaim)))));
        return services;
    }

    /// <summary>Fails at startup, with what to set, when neither a valid key nor an authority is configured.</summary>
    public static void Validate(IConfiguration configuration) => SigningKey(Options(configuration));

    /// <summary>Who did it, for the audit log: the token's subject.</summary>
    public static string Actor(this ClaimsPrincipal user) => user.FindFirstValue(Roles.SubjectClaim) ?? "unknown";

    private static AuthOptions Options(IConfiguration configuration) => configuration.GetSection("Auth").Get<AuthOptions>() ?? new AuthOptions();

    private static byte[]? SigningKey(AuthOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.SigningKey))
        {
            byte[] key;
            try
            {
                key = Convert.FromBase64String(options.SigningKey.Trim());
            }
            catch (FormatException)
            {
                throw new InvalidOperationException("Auth:SigningKey is not valid base64.");
            }
            if (key.Length < 32) throw new InvalidOperationException($"Auth:SigningKey has {key.Length} bytes; HS256 needs at least 32.");
            return key;
        }
        if (!string.IsNullOrWhiteSpace(options.Authority)) return null;
        throw new InvalidOperationException(
            "No token validation configured: set Auth:SigningKey (base64, at least 32 bytes; environment Auth__SigningKey) or Auth:Authority.");
    }
}
