using System.Text.Json;
using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Http;

namespace BaiQianWan.Assess.Functions.Hosting;

/// <summary>
/// The one place the app is composed: configuration, store, workflow, auth, HTTP API and the custom-handler
/// invocation endpoints. Tests and other hosts call <see cref="Build"/> and may register services (e.g. the real
/// PDF renderer) through <c>configure</c>, which runs after the defaults so it can replace them.
/// </summary>
public static class AssessApp
{
    /// <summary>Environment variable the Functions host sets to the port the handler must listen on.</summary>
    public const string CustomHandlerPortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>Builds the app from command-line arguments (e.g. <c>--urls</c>), appsettings and the environment.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var port = Environment.GetEnvironmentVariable(CustomHandlerPortVariable);
        if (!string.IsNullOrEmpty(port))
        {
            // Under the Functions host: listen where it expects, on loopback only.
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = BodyReader.ImportLimit);
        ConfigureServices(builder);
        configure?.Invoke(builder);
        var app = builder.Build();
        Configure(app);
        return app;
    }

    private static void ConfigureServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddAssessAuth(builder.Configuration);
        services.AddOpenApi();
        services.AddSingleton(TimeProvider.System);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase);
    }

    private static void Configure(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        // The host's readiness probe polls GET / until it answers.
        app.MapGet("/", () => Results.Text("BaiQianWan.Assess")).AllowAnonymous().ExcludeFromDescription();
        app.MapOpenApi("/api/openapi.json").AllowAnonymous();
    }
}
