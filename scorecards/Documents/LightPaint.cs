using BaiQianWan.Assess.Scorecards.Layout;
using BaiQianWan.Assess.Scorecards.Views;
using PdfSharp.Drawing;

namespace BaiQianWan.Assess.Scorecards.Documents;

/// <summary>
/// A light's colours by its place in the monitor's list: the worst red, the best green, those between amber. The
/// shape (<see cref="LightCell.Glyph"/>) and the name are printed with it, so the colour is never the only sign.
/// </summary>
internal static class LightPaint
{
    public static readonly XColor AmberLight = XColor.FromArgb(0xFF, 0xF4, 0xD6);
    public static readonly XColor GreenLight = XColor.FromArgb(0xE8, 0xF5, 0xE9);

    public static XColor Ink(LightCell light) => light.Worst ? Theme.Red : light.Best ? Theme.Green : Theme.Amber;

    public static XColor Tint(LightCell light) => light.Worst ? Theme.RedLight : light.Best ? GreenLight : AmberLight;

    /// <summary>The mark and the name (<c>■红灯</c>).</summary>
    public static string Label(LightCell light) => light.Glyph + light.Name;

    /// <summary>A table cell for a light: mark and name in the light's ink on its tint; a missing indicator in grey.</summary>
    public static Cell Cell(LightCell? light, bool withName = true) => light is null
        ? new Cell("缺数据", Theme.Muted)
        : new Cell(withName ? Label(light) : light.Glyph, Ink(light), Bold: true, Fill: Tint(light));
}
