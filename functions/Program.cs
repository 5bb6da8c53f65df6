using BaiQianWan.Assess.Functions.Hosting;

// The Azure Functions custom handler; also runs on its own (`dotnet run --project functions -- --urls ...`).
AssessApp.Build(args).Run();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
