namespace BaiQianWan.Assess.Samples;

internal static class Placeholder;
