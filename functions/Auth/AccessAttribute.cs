namespace BaiQianWan.Assess.Functions.Auth;

/// <summary>
/// Who may call an HTTP function: one of <see cref="Policies"/>. Every <c>[Function]</c> with an <c>[HttpTrigger]</c>
/// carries exactly one; the app refuses to start otherwise. Adding an HTTP function is one step: a method with
/// <c>[Function("Name")]</c>, <c>[Access(Policies.X)]</c> and <c>[HttpTrigger(AuthorizationLevel.Anonymous, "get",
/// Route = "...")] HttpRequest request</c> returning <c>Task&lt;IResult&gt;</c>; the Functions host finds it through the
/// generated <c>functions.metadata</c>, the standalone app through <see cref="Hosting.HttpFunctionCatalog"/>, and both
/// authorize it here before it runs.
/// </summary>
/// <param name="policy">A <see cref="Policies"/> name.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class AccessAttribute(string policy) : Attribute
{
    /// <summary>The policy name.</summary>
    public string Policy { get; } = policy;
}
