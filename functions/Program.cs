using BaiQianWan.Assess.Functions.Hosting;

// The Azure Functions custom handler; also runs on its own (`dotnet run --project functions -- --urls ...`).
AssessApp.Build(args).Run();

/// <summary>Entry point (tests build the app through WebApplicationFactory on this assembly).</summary>
public partial class Program;
