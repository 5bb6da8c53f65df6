using PdfSharp.Fonts;

namespace BaiQianWan.Assess.Scorecards.Text;

/// <summary>
/// The embedded faces, loaded once per process, and the PDFsharp font resolver that serves them.
/// PDFsharp's resolver is process-wide; it is installed here, once, before any document is drawn.
/// </summary>
internal static class Fonts
{
    public const string PrimaryName = "WenQuanYi Micro Hei Common";
    public const string FullName = "WenQuanYi Micro Hei";
    public const string FallbackName = "Droid Sans Fallback Extra";

    /// <summary>Drawn in place of a character no face has (and reported).</summary>
    public const char Replacement = '□';

    private static readonly Lazy<FontFace[]> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// The faces in the order a character is looked up: WenQuanYi's common characters, the full WenQuanYi face,
    /// then the fallback. Most documents embed only the first (see Fonts/README.md for why).
    /// </summary>
    public static FontFace[] Faces => Loaded.Value;

    public static FontFace Primary => Faces[0];

    private static FontFace[] Load()
    {
        FontFace[] faces =
        [
            new(PrimaryName, Resource("Fonts.wqy-microhei-common.ttf")),
            new(FullName, Resource("Fonts.wqy-microhei.ttf")),
            new(FallbackName, Resource("Fonts.droid-fallback-extra.ttf")),
        ];
        if (GlobalFontSettings.FontResolver is not Resolver)
            GlobalFontSettings.FontResolver = new Resolver(faces);
        return faces;
    }

    private static byte[] Resource(string name)
    {
        using var stream = typeof(Fonts).Assembly.GetManifestResourceStream(name)
                           ?? throw new InvalidOperationException($"缺少内嵌字体资源 {name}");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>Serves the embedded faces by family name; bold is simulated (WenQuanYi has one weight).</summary>
    private sealed class Resolver(FontFace[] faces) : IFontResolver
    {
        public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic)
        {
            foreach (var f in faces)
                if (string.Equals(f.Name, familyName, StringComparison.OrdinalIgnoreCase))
                    return new FontResolverInfo(f.Name, bold, false);
            // Anything else asked for (PDFsharp's own defaults) gets the primary face.
            return new FontResolverInfo(faces[0].Name, bold, false);
        }

        public byte[]? GetFont(string faceName)
        {
            foreach (var f in faces)
                if (f.Name == faceName) return f.Bytes;
            return null;
        }
    }
}
