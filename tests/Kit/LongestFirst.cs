using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("BaiQianWan.Assess.Tests.Kit.LongestFirst", "BaiQianWan.Assess.Tests")]

namespace BaiQianWan.Assess.Tests.Kit;

/// <summary>
/// The order in which xUnit starts the test collections (two at a time on two cores): the long ones first, so that the
/// short ones fill the other thread at the end instead of a long class running alone after everything else: the browser
/// classes (a <see cref="Chromium"/> fixture; the one with more test methods first), then the other classes marked
/// <c>[Trait("Cost", "Slow")]</c> and the Azurite collection, then the rest; otherwise xUnit's own order. Only the order
/// changes: every class still runs, each in its own collection unless it names one.
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    private const string PerClass = "Test collection for ";

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.Select((c, i) => (Collection: c, Index: i, Cost: Cost(c)))
            .OrderBy(c => c.Cost.Group).ThenByDescending(c => c.Cost.Methods).ThenBy(c => c.Index)
            .Select(c => c.Collection);

    /// <summary>0 for a browser class, 1 for another slow one (or a named collection, e.g. Azurite), 2 for the rest.</summary>
    internal static (int Group, int Methods) Cost(ITestCollection collection)
    {
        if (collection.CollectionDefinition is not null) return (1, 0);
        if (!collection.DisplayName.StartsWith(PerClass, StringComparison.Ordinal)) return (2, 0);
        var type = typeof(LongestFirst).Assembly.GetType(collection.DisplayName[PerClass.Length..]);
        if (type is null) return (2, 0);
        var methods = type.GetMethods().Count(m => m.GetCustomAttributes<FactAttribute>().Any());
        if (type.GetInterfaces().Contains(typeof(IClassFixture<Chromium>))) return (0, methods);
        var slow = type.GetCustomAttributesData().Any(a => a.AttributeType == typeof(TraitAttribute)
            && a.ConstructorArguments is [{ Value: "Cost" }, { Value: "Slow" }]);
        return (slow ? 1 : 2, methods);
    }
}
