using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Logging.Abstractions;

namespace BaiQianWan.Assess.Portal.Rendering;

/// <summary>
/// Renders a page component with its view model to a complete HTML document (Blazor's <see cref="HtmlRenderer"/>,
/// no interactivity): the view model is built before rendering, the component only lays it out.
/// </summary>
public sealed class PageRenderer : IAsyncDisposable
{
    private readonly HtmlRenderer _renderer;

    /// <summary>Creates a renderer (one per app; it is safe to use from many requests at once).</summary>
    public PageRenderer() => _renderer = new HtmlRenderer(new EmptyServices(), NullLoggerFactory.Instance);

    /// <summary>Renders <typeparamref name="TPage"/> with <c>Model</c> = <paramref name="model"/> to a document starting with <c>&lt;!DOCTYPE html&gt;</c>.</summary>
    public async Task<string> RenderAsync<TPage>(object model) where TPage : IComponent =>
        "<!DOCTYPE html>\n" + await RenderFragmentAsync<TPage>(new Dictionary<string, object?> { ["Model"] = model });

    /// <summary>Renders any component with the given parameters to an HTML fragment (tests of shared components).</summary>
    public Task<string> RenderFragmentAsync<TComponent>(IDictionary<string, object?> parameters) where TComponent : IComponent =>
        _renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await _renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters));
            return output.ToHtmlString();
        });

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _renderer.DisposeAsync();

    private sealed class EmptyServices : IServiceProvider
    {
        // Chinese text is written as it is (UTF-8), not as numeric character references: pages stay small and readable.
        private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

        public object? GetService(Type serviceType) => serviceType == typeof(HtmlEncoder) ? Encoder : null;
    }
}
