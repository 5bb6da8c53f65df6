using BaiQianWan.Assess.Functions.Hosting;

// An Azure Functions isolated worker when the host starts it; on its own otherwise
// (`dotnet run --project functions -- --urls http://127.0.0.1:5080`). Same function classes either way.
return await AssessApp.MainAsync(args);
