namespace BaiQianWan.Assess.Samples.Generation;

/// <summary>
/// Invents place-name stems (the part before 县, 区, 镇, 街道…) from syllable pools, avoiding a list of
/// real names, and keeps them unique where the province needs it. One instance per generated
/// province: it remembers the county stems already used.
/// </summary>
internal sealed class PlaceNames
{
    // Pools of plants, water and light for the first syllable and landforms for the second, the way
    // Lingnan place names are made; very common first syllables (东, 新, 大, 石, 金…) are left out
    // because they recombine into real names too easily.
    private const string Firsts = "岚桐梧杉槐枫棠芷蘅榕蕉苇澄泓澜涟沁碧翠黛珑琼璧禾粟曦霞虹雁鹭鸿麟萱蔚霁翎琅瑜珞榆椰芙茗芸芦菱蒲荷蓬楠檀柚樟";
    private const string Seconds = "溪洲湾浦塘坑岗岭坪田源泉林峰陂埔圩沙港桥寨冈洞垌寮墩湖江山屿滩渡埠阳安宁丰兴昌泰康";

    // Real but rare characters of Guangdong place names (滘 and 漖 river branches, 氹 pool, 涌 creek,
    // 燊 blaze, 㙟 from CJK Extension A, 塱 and 埗 wharf land), so renderers and fonts get tested.
    private const string Rares = "滘漖氹涌燊㙟塱埗";

    // Cantonese-style third syllables for the occasional three-character name.
    private const string Thirds = "头尾背围仔口";

    // Real names (Guangdong's cities and county-level units, and real places the pools can spell)
    // that a generated stem must not equal or contain.
    private const string RealNames =
        "广州 深圳 珠海 汕头 佛山 韶关 湛江 肇庆 江门 茂名 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮 " +
        "荔湾 越秀 海珠 天河 白云 黄埔 番禺 花都 南沙 从化 增城 罗湖 福田 南山 宝安 龙岗 盐田 龙华 坪山 光明 香洲 斗门 " +
        "金湾 龙湖 金平 濠江 潮阳 潮南 澄海 南澳 禅城 南海 顺德 三水 高明 武江 浈江 曲江 始兴 仁化 翁源 乳源 新丰 乐昌 " +
        "南雄 赤坎 霞山 坡头 麻章 遂溪 徐闻 廉江 雷州 吴川 端州 鼎湖 高要 广宁 怀集 封开 德庆 四会 蓬江 江海 新会 台山 " +
        "开平 鹤山 恩平 茂南 电白 高州 化州 信宜 惠城 惠阳 博罗 惠东 龙门 梅江 梅县 大埔 丰顺 五华 平远 蕉岭 兴宁 海丰 " +
        "陆河 陆丰 源城 紫金 龙川 连平 和平 东源 江城 阳东 阳西 阳春 清城 清新 佛冈 阳山 连山 连南 英德 连州 湘桥 潮安 " +
        "饶平 榕城 揭东 揭西 惠来 普宁 云城 云安 新兴 郁南 罗定 " +
        "榆林 桂林 霞浦 榕江 碧江 虹桥 枫溪 琼山 雁山 涟源 沁源 沁阳 芦溪 蒲江 澄江 蓬安 荷塘 鹭江 楠溪 翠亨 芦山 樟木 " +
        "沙田 涌口 泰安 安宁 康宁 丰宁 兴安 昌江 泰宁 宁安 桐城 柚木 槐荫 黛溪 鸿山 麟山 珞珈 梧桐 芙蓉 椰林 蓬溪 蒲塘";

    private readonly HashSet<string> _real = new(RealNames.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
    private readonly HashSet<string> _countyStems = new(StringComparer.Ordinal);

    /// <summary>A stem for a county-level unit, unique across the whole generated province.</summary>
    public string NewCountyStem(SplitMix64 rng) => NewStem(rng, _countyStems, threeInThousand: 0);

    /// <summary>A stem for a town, unique among the stems in <paramref name="taken"/> (its county's towns).</summary>
    public string NewTownStem(SplitMix64 rng, HashSet<string> taken) => NewStem(rng, taken, threeInThousand: 100);

    private string NewStem(SplitMix64 rng, HashSet<string> taken, int threeInThousand)
    {
        for (var attempt = 0; ; attempt++)
        {
            // Some town names have three syllables (…围, …仔); county names have two unless the
            // two-syllable space (a few thousand names) is crowded, at very large scales.
            var stem = attempt < 40 && !rng.Chance(threeInThousand) ? Two(rng) : Three(rng);
            if (IsReal(stem)) continue;
            if (taken.Add(stem)) return stem;
        }
    }

    private static string Two(SplitMix64 rng)
    {
        var first = Firsts[rng.Below(Firsts.Length)];
        var second = rng.Chance(15) ? Rares[rng.Below(Rares.Length)] : Seconds[rng.Below(Seconds.Length)];
        return new string([first, second]);
    }

    private static string Three(SplitMix64 rng) => Two(rng) + Thirds[rng.Below(Thirds.Length)];

    private bool IsReal(string stem)
    {
        for (var i = 0; i + 2 <= stem.Length; i++)
            if (_real.Contains(stem.Substring(i, 2))) return true;
        return false;
    }
}
