using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Http;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Workflow;
using Microsoft.Azure.Functions.Worker;

namespace BaiQianWan.Assess.Functions.Api;

/// <summary><c>/api/rulesets</c>: validate, upload versions, activate, deactivate (office), read, preview. Office and authors.</summary>
public sealed class RulesetFunctions(AssessmentService service)
{
    /// <summary>
    /// Validates ruleset YAML (the body) without storing it: 422 with every error, or 200 with the ruleset's warnings
    /// (<see cref="RulesetWarnings"/>: RS9001, RS9002; a warning never makes it invalid).
    /// </summary>
    [Function("RulesetsValidate")]
    [Access(Policies.Rulesets)]
    public async Task<IResult> Validate([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/rulesets/validate")] HttpRequest request, CancellationToken ct)
    {
        var yaml = await BodyReader.ReadTextAsync(request, BodyReader.RulesetLimit, ct);
        if (MonitorLoader.IsMonitorText(yaml))
        {
            // A monitor (kind: monitor): validated, and its rules compiled, the same way.
            var monitor = MonitorLoader.Load(yaml);
            if (!monitor.IsValid) return Invalid(monitor.Diagnostics);
            _ = CompiledMonitor.Compile(monitor.Monitor!, monitor.Sha256);
            return Results.Ok(new ValidationDto(true, monitor.Monitor!.Id, monitor.Monitor.Name, monitor.Monitor.Level.ToText(), monitor.Sha256, []));
        }
        var loaded = RulesetLoader.Load(yaml);
        if (!loaded.IsValid) return Invalid(loaded.Diagnostics);
        var r = loaded.Ruleset!;
        // Valid means NRules compiles it too (and the compiled rules are then cached for this text's runs).
        _ = BaiQianWan.Assess.Rules.Evaluation.CompiledRuleset.Compile(r, loaded.Sha256);
        return Results.Ok(new ValidationDto(true, r.Id, r.Name, r.Level.ToText(), loaded.Sha256, [.. loaded.Warnings.Select(RulesetWarningDto.Of)]));
    }

    /// <summary>Every stored version (without texts).</summary>
    [Function("RulesetsList")]
    [Access(Policies.Rulesets)]
    public async Task<IResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/rulesets")] HttpRequest request, CancellationToken ct) =>
        Results.Ok((await service.ListRulesetsAsync(ct)).Select(RulesetDto.Of).ToList());

    /// <summary>Stores ruleset YAML (the body; its id must be the address's) as a new version, or answers the same version for the same text.</summary>
    [Function("RulesetsPut")]
    [Access(Policies.Rulesets)]
    public async Task<IResult> Put([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/rulesets/{id}")] HttpRequest request, string id, CancellationToken ct)
    {
        var yaml = await BodyReader.ReadTextAsync(request, BodyReader.RulesetLimit, ct);
        string textId;
        if (MonitorLoader.IsMonitorText(yaml))
        {
            // A monitor (kind: monitor) is stored, versioned and activated like a ruleset, in its level's monitor slot.
            var monitor = MonitorLoader.Load(yaml);
            if (!monitor.IsValid) return Invalid(monitor.Diagnostics);
            textId = monitor.Monitor!.Id;
        }
        else
        {
            var loaded = RulesetLoader.Load(yaml);
            if (!loaded.IsValid) return Invalid(loaded.Diagnostics);
            textId = loaded.Ruleset!.Id;
        }
        if (textId != id)
            throw new ApiException(StatusCodes.Status422UnprocessableEntity, "规则集 id 不符", $"YAML 中的 id 是 '{textId}'，地址中是 '{id}'");
        var before = (await service.ListRulesetsAsync(ct)).Where(v => v.RulesetId == id).Select(v => v.Version).DefaultIfEmpty(0).Max();
        var stored = await service.AddRulesetAsync(yaml, $"{id}.yaml", request.HttpContext.User.Actor(), ct);
        var dto = RulesetDto.Of(stored, withText: false);
        return stored.Version > before
            ? Results.Created($"/api/rulesets/{Uri.EscapeDataString(id)}/versions/{stored.Version}", dto)
            : Results.Ok(dto);
    }

    /// <summary>One version, with its text.</summary>
    [Function("RulesetsGetVersion")]
    [Access(Policies.Rulesets)]
    public async Task<IResult> GetVersion([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/rulesets/{id}/versions/{version:int}")] HttpRequest request,
        string id, int version, CancellationToken ct)
    {
        var stored = await service.FindRulesetAsync(id, version, ct) ?? throw ApiException.NotFound($"规则集 {id} 没有版本 {version}");
        return Results.Ok(RulesetDto.Of(stored, withText: true));
    }

    /// <summary>Makes a version the active one. Office only: authors write, validate and preview; the office activates.</summary>
    [Function("RulesetsActivate")]
    [Access(Policies.Office)]
    public async Task<IResult> Activate([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/rulesets/{id}/versions/{version:int}/activate")] HttpRequest request,
        string id, int version, CancellationToken ct) =>
        Results.Ok(RulesetDto.Of(await service.ActivateRulesetAsync(id, version, request.HttpContext.User.Actor(), ApiInput.Flag(request, "replace"), ct), withText: false));

    /// <summary>
    /// Leaves a ruleset with no active version (its versions stay; timers no longer evaluate it). Answers the version that
    /// was active, or <c>deactivated: null</c> when none was (repeating it changes nothing). Office only.
    /// </summary>
    [Function("RulesetsDeactivate")]
    [Access(Policies.Office)]
    public async Task<IResult> Deactivate([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/rulesets/{id}/deactivate")] HttpRequest request,
        string id, CancellationToken ct)
    {
        var was = await service.DeactivateRulesetAsync(id, request.HttpContext.User.Actor(), ct);
        return Results.Ok(new DeactivationDto(id, was is null ? null : RulesetDto.Of(was, withText: false)));
    }

    /// <summary>Scores a period under a version beside the active one (<c>?period=</c>).</summary>
    [Function("RulesetsPreview")]
    [Access(Policies.Rulesets)]
    public async Task<IResult> Preview([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/rulesets/{id}/versions/{version:int}/preview")] HttpRequest request,
        string id, int version, CancellationToken ct)
    {
        var p = ApiInput.Period(ApiInput.Required(request.Query["period"].ToString(), "period"));
        return Results.Ok(PreviewDto.Of(await service.PreviewAsync(id, version, p, ct)));
    }

    private static IResult Invalid(System.Collections.Immutable.ImmutableArray<RulesetDiagnostic> diagnostics) => Results.Problem(
        statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "规则集无效",
        detail: $"{diagnostics.Length} 处错误",
        extensions: new Dictionary<string, object?>
        {
            ["errors"] = diagnostics.Select(d => new RulesetErrorDto(d.Position.Line, d.Position.Column, d.Message)).ToList(),
        });
}
