using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Store.Workflow;

namespace BaiQianWan.Assess.Functions.Http;

/// <summary><c>/api/rulesets</c>: validate, upload versions, activate, read, preview. Office and authors.</summary>
public static class RulesetEndpoints
{
    /// <summary>Maps the routes.</summary>
    public static void MapRulesets(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/rulesets").RequireAuthorization(Policies.Rulesets).WithTags("rulesets");
        group.MapPost("/validate", Validate).WithName("RulesetsValidate").WithDescription("正文为规则集 YAML").Produces<ValidationDto>();
        group.MapGet("", List).WithName("RulesetsList").Produces<RulesetDto[]>();
        group.MapPut("/{id}", Put).WithName("RulesetsPut").WithDescription("正文为规则集 YAML，id 须与地址一致").Produces<RulesetDto>(StatusCodes.Status201Created);
        group.MapGet("/{id}/versions/{version:int}", GetVersion).WithName("RulesetsGetVersion").Produces<RulesetDto>();
        group.MapPost("/{id}/versions/{version:int}/activate", Activate).WithName("RulesetsActivate").Produces<RulesetDto>();
        group.MapPost("/{id}/versions/{version:int}/preview", Preview).WithName("RulesetsPreview").Produces<PreviewDto>();
    }

    private static async Task<IResult> Validate(HttpRequest request, CancellationToken ct)
    {
        var loaded = RulesetLoader.Load(await BodyReader.ReadTextAsync(request, BodyReader.RulesetLimit, ct));
        if (!loaded.IsValid) return Invalid(loaded);
        var r = loaded.Ruleset!;
        // Valid means NRules compiles it too (and the compiled rules are then cached for this text's runs).
        _ = BaiQianWan.Assess.Rules.Evaluation.CompiledRuleset.Compile(r, loaded.Sha256);
        return Results.Ok(new ValidationDto(true, r.Id, r.Name, r.Level.ToText(), loaded.Sha256));
    }

    private static async Task<IResult> List(AssessmentService service, CancellationToken ct) =>
        Results.Ok((await service.Store.ListRulesetsAsync(ct)).Select(v => RulesetDto.Of(v, withText: false)).ToList());

    private static async Task<IResult> Put(string id, HttpContext http, AssessmentService service, CancellationToken ct)
    {
        var yaml = await BodyReader.ReadTextAsync(http.Request, BodyReader.RulesetLimit, ct);
        var loaded = RulesetLoader.Load(yaml);
        if (!loaded.IsValid) return Invalid(loaded);
        if (loaded.Ruleset!.Id != id)
            throw new ApiException(StatusCodes.Status422UnprocessableEntity, "规则集 id 不符", $"YAML 中的 id 是 '{loaded.Ruleset.Id}'，地址中是 '{id}'");
        var before = (await service.Store.ListRulesetsAsync(ct)).Where(v => v.RulesetId == id).Select(v => v.Version).DefaultIfEmpty(0).Max();
        var stored = await service.AddRulesetAsync(yaml, $"{id}.yaml", http.User.Actor(), ct);
        var dto = RulesetDto.Of(stored, withText: false);
        return stored.Version > before
            ? Results.Created($"/api/rulesets/{Uri.EscapeDataString(id)}/versions/{stored.Version}", dto)
            : Results.Ok(dto);
    }

    private static async Task<IResult> GetVersion(string id, int version, AssessmentService service, CancellationToken ct)
    {
        var stored = await service.Store.GetRulesetAsync(id, version, ct) ?? throw ApiException.NotFound($"规则集 {id} 没有版本 {version}");
        return Results.Ok(RulesetDto.Of(stored, withText: true));
    }

    private static async Task<IResult> Activate(string id, int version, HttpContext http, AssessmentService service, CancellationToken ct) =>
        Results.Ok(RulesetDto.Of(await service.ActivateRulesetAsync(id, version, http.User.Actor(), ct), withText: false));

    private static async Task<IResult> Preview(string id, int version, string? period, AssessmentService service, CancellationToken ct)
    {
        var p = ApiInput.Period(ApiInput.Required(period, "period"));
        return Results.Ok(PreviewDto.Of(await service.PreviewAsync(id, version, p, ct)));
    }

    private static IResult Invalid(RulesetLoadResult loaded) => Results.Problem(
        statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "规则集无效",
        detail: $"{loaded.Diagnostics.Length} 处错误",
        extensions: new Dictionary<string, object?>
        {
            ["errors"] = loaded.Diagnostics.Select(d => new RulesetErrorDto(d.Position.Line, d.Position.Column, d.Message)).ToList(),
        });
}
