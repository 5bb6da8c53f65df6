using PdfSharp.Drawing;

namespace BaiQianWan.Assess.Scorecards.Layout;

/// <summary>Page geometry, type scale and colours: every document draws with these and nothing else.</summary>
internal static class Theme
{
    public const double PageWidth = 595.28;   // A4 portrait, points
    public const double PageHeight = 841.89;
    public const double MarginX = 36;
    public const double MarginTop = 34;
    public const double FooterHeight = 40;
    public const double ContentWidth = PageWidth - 2 * MarginX;
    public const double ContentBottom = PageHeight - FooterHeight - 10;
    public const double LineFactor = 1.32;
    public const double SectionGap = 12;

    public const double Title = 17;
    public const double Heading = 10.5;
    public const double Body = 9;
    public const double Small = 7.5;
    public const double Cell = 7.5;
    public const double CellNote = 7;
    public const double Footer = 6.5;
    public const double BigNumber = 26;

    public static readonly XColor Text = XColor.FromArgb(0x1F, 0x29, 0x37);
    public static readonly XColor Muted = XColor.FromArgb(0x5B, 0x64, 0x72);
    public static readonly XColor Rule = XColor.FromArgb(0xC9, 0xCF, 0xD8);
    public static readonly XColor Stripe = XColor.FromArgb(0xF5, 0xF7, 0xFA);
    public static readonly XColor HeaderFill = XColor.FromArgb(0xE3, 0xEA, 0xF5);
    public static readonly XColor Accent = XColor.FromArgb(0x1D, 0x4E, 0xD8);
    public static readonly XColor AccentLight = XColor.FromArgb(0xDD, 0xE3, 0xEC);
    public static readonly XColor Red = XColor.FromArgb(0xC6, 0x28, 0x28);
    public static readonly XColor RedLight = XColor.FromArgb(0xFD, 0xEC, 0xEC);
    public static readonly XColor Green = XColor.FromArgb(0x2E, 0x7D, 0x32);
    public static readonly XColor Amber = XColor.FromArgb(0xB2, 0x5F, 0x00);
    public static readonly XColor Black = XColor.FromArgb(0x21, 0x21, 0x21);
    public static readonly XColor White = XColor.FromArgb(0xFF, 0xFF, 0xFF);
}
