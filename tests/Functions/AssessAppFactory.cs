using System.Net.Http.Headers;
using System.Security.Cryptography;
using BaiQianWan.Assess.Cli.Commands;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// The app under test, as <c>dotnet run --project functions</c> would compose it, on a given store, with a
/// random signing key, the test renderer (or the one given, e.g. the real PDF renderer) and a fixed clock. Tokens are issued the way the CLI issues them.
/// </summary>
public sealed class AssessAppFactory : WebApplicationFactory<BaiQianWan.Assess.Functions.Api.EvaluationFunctions>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly IDocumentRenderer? _renderer;

    public AssessAppFactory(string storeKind, string storeConnection, IReadOnlyDictionary<string, string?>? settings = null, IDocumentRenderer? renderer = null)
    {
        _renderer = renderer;
        Key = RandomNumberGenerator.GetBytes(32);
        _settings = new Dictionary<string, string?>
        {
            ["Auth:SigningKey"] = Convert.ToBase64String(Key),
            ["Store:Kind"] = storeKind,
            ["Store:Connection"] = storeConnection,
            ["Runs:BatchSize"] = "40",
            ["Runs:Dispatch"] = "inprocess",
            // The schedule is tested on its own (TriggerFunctionTests); elsewhere it would fire at no predictable time.
            ["Timer:Enabled"] = "false",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) _settings[k] = v;
    }

    public byte[] Key { get; }

    internal TestClock Clock { get; } = new(new DateTimeOffset(2025, 10, 8, 1, 0, 0, TimeSpan.Zero));

    /// <summary>A token like <c>baiqianwan token --role ROLE [--unit CODE]</c> issues.</summary>
    public string Token(string role, string? unit = null, byte[]? key = null, TimeSpan? lifetime = null, DateTimeOffset? now = null) =>
        TokenCommand.Issue(key ?? Key, role, unit, unit is null ? role : $"unit:{unit}", TokenCommand.DefaultIssuer, TokenCommand.DefaultAudience,
            now ?? DateTimeOffset.UtcNow, lifetime ?? TimeSpan.FromHours(1));

    /// <summary>A client sending <paramref name="token"/> as its bearer token (none when null).</summary>
    public HttpClient Client(string? token)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(_settings));
        builder.ConfigureTestServices(s =>
        {
            if (_renderer is null) s.AddSingleton<IDocumentRenderer, TestRenderer>();
            else s.AddSingleton(_renderer);
            s.AddSingleton<TimeProvider>(Clock);
        });
    }
}
