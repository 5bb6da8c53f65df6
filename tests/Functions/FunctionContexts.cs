using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Moq;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>Worker <see cref="FunctionContext"/>s as Moq mocks: the seam the worker gives functions and middleware.</summary>
internal static class FunctionContexts
{
    /// <summary>
    /// A context for function <paramref name="name"/>: its definition, the services, binding data (e.g. a queue
    /// message's <c>DequeueCount</c>) and, for an HTTP invocation, the <see cref="HttpContext"/> where the worker's
    /// ASP.NET Core integration keeps it (<c>Items["HttpRequestContext"]</c>).
    /// </summary>
    public static FunctionContext For(string name, IServiceProvider services, IReadOnlyDictionary<string, object?>? bindingData = null,
        HttpContext? http = null, CancellationToken cancellationToken = default)
    {
        var definition = new Mock<FunctionDefinition>();
        definition.SetupGet(d => d.Name).Returns(name);
        var binding = new Mock<BindingContext>();
        binding.SetupGet(b => b.BindingData).Returns(bindingData ?? new Dictionary<string, object?>());
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.FunctionDefinition).Returns(definition.Object);
        context.SetupGet(c => c.FunctionId).Returns(name);
        context.SetupGet(c => c.InvocationId).Returns(Guid.NewGuid().ToString("N"));
        context.SetupGet(c => c.InstanceServices).Returns(services);
        context.SetupGet(c => c.BindingContext).Returns(binding.Object);
        context.SetupGet(c => c.CancellationToken).Returns(cancellationToken);
        var items = new Dictionary<object, object>();
        if (http is not null) items["HttpRequestContext"] = http;
        context.SetupGet(c => c.Items).Returns(items);
        return context.Object;
    }
}
