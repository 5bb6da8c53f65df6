using Moq;
using Xunit.Abstractions;

namespace BaiQianWan.Assess.Tests.Kit;

/// <summary>The collection orderer only reorders: browser classes, then other slow ones and named collections, then the rest.</summary>
public class LongestFirstTests
{
    private static ITestCollection Collection(string displayName, bool named = false)
    {
        var collection = new Mock<ITestCollection>();
        collection.SetupGet(c => c.DisplayName).Returns(displayName);
        collection.SetupGet(c => c.CollectionDefinition).Returns(named ? Mock.Of<ITypeInfo>() : null!);
        return collection.Object;
    }

    [Fact]
    public void Browser_classes_come_first_then_slow_ones_and_named_collections_then_the_rest_none_dropped()
    {
        var fast = Collection("Test collection for " + typeof(RulesetYamlTests).FullName);
        var odd = Collection("a collection named otherwise");
        var slow = Collection("Test collection for " + typeof(BaiQianWan.Assess.Tests.Cli.DemoTests).FullName);
        var azurite = Collection("Azurite", named: true);
        var oneBrowserTest = Collection("Test collection for " + typeof(BaiQianWan.Assess.Tests.Portal.DocsScreenshotTests).FullName);
        var manyBrowserTests = Collection("Test collection for " + typeof(BaiQianWan.Assess.Tests.Portal.RenderedPagesInBrowserTests).FullName);

        var ordered = new LongestFirst().OrderTestCollections([fast, odd, slow, azurite, oneBrowserTest, manyBrowserTests]).ToList();

        Assert.Equal([manyBrowserTests, oneBrowserTest, slow, azurite, fast, odd], ordered);
    }
}
