using System.Net;
using System.Text;
using System.Text.Json;
using BaiQianWan.Assess.Functions.Triggers;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Tests.Store;
using Microsoft.Extensions.DependencyInjection;
using Azure.Storage.Queues.Models;
using BaiQianWan.Assess.Store.Azure;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// The hosted design on Azure storage: an HTTP-started run is evaluated in the request and its render batches
/// are sent to the <c>render-batches</c> queue (base64 text, as the queue trigger expects); the host then
/// delivers each message's text to the <c>RenderScorecards</c> function, and the last one completes the run.
/// </summary>
[Collection(AzuriteCollection.Name)]
[Trait("Cost", "Slow")]
public sealed class QueueDispatchTests(AzuriteFixture azurite)
{
    private readonly string _connection = azurite.ConnectionString;

    [Fact]
    public async Task Http_run_on_azure_queues_batches_that_the_queue_function_renders_to_completion()
    {
        await using var app = new AssessAppFactory("azure", _connection, new Dictionary<string, string?>
        {
            ["Runs:Dispatch"] = "queue",
            ["Store:Prefix"] = AzuriteFixture.NewPrefix("q"),
        });
        // The render queue's name is the host's, not prefixed: it starts empty whatever ran on the emulator before.
        var queue = BaiQianWan.Assess.Functions.Runs.QueueRunCarrier.Queue(AzureStorageAccount.Parse(_connection));
        await queue.CreateIfNotExistsAsync();
        await queue.ClearMessagesAsync();
        using var office = app.Client(app.Token("office"));
        await (await office.PutAsync("/api/units?year=2025&file=units.csv", Api.Csv(TestProvince.UnitsCsv()))).JsonAsync(HttpStatusCode.OK);
        await (await office.PutAsync("/api/periods/2025Q3/observations?file=observations.csv", Api.Csv(TestProvince.ObservationsCsv()))).JsonAsync(HttpStatusCode.OK);
        await (await office.PutAsync("/api/rulesets/county-2025", Api.Yaml(SampleRulesets.County))).JsonAsync(HttpStatusCode.Created);
        await (await office.PostAsync("/api/rulesets/county-2025/versions/1/activate", null)).JsonAsync(HttpStatusCode.OK);

        var accepted = await (await office.PostAsync("/api/evaluations",
            Api.Json("""{"period":"2025Q3","level":"county","ruleset":"county-2025","version":null}"""))).JsonAsync(HttpStatusCode.Accepted);
        var runId = accepted.GetProperty("id").GetString()!;
        // Evaluated during the request; rendering waits for the queue.
        Assert.Equal("running", accepted.GetProperty("status").GetString());

        var messages = new List<QueueMessage>();
        while ((await queue.ReceiveMessagesAsync(32)).Value is { Length: > 0 } got) messages.AddRange(got);
        var scored = TestProvince.Counties.Count(c => c.Class is "创先" or "进位" or "消薄");
        Assert.Equal((scored + 39) / 40, messages.Count);

        foreach (var message in messages)
        {
            // What the host does with it: the text (decoded from base64) bound to the trigger's string parameter.
            var text = message.MessageText;
            Assert.Equal(runId, JsonDocument.Parse(text).RootElement.GetProperty("runId").GetString());
            await ActivatorUtilities.CreateInstance<RenderScorecards>(app.Services).Run(text,
                FunctionContexts.For(RenderScorecards.Name, app.Services, new Dictionary<string, object?> { ["DequeueCount"] = message.DequeueCount }));
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }
        var run = await (await office.GetAsync($"/api/evaluations/{runId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(scored, run.GetProperty("documents").GetProperty("scorecardsStored").GetInt32());
    }
}
