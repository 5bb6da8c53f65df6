namespace BaiQianWan.Assess.Store;

/// <summary>Where a store's schema stands (<see cref="IStoreMaintenance.GetSchemaAsync"/>).</summary>
/// <param name="Version">The number of migrations applied (0 for a store not created yet).</param>
/// <param name="Latest">The number this program has (its schema version).</param>
public sealed record StoreSchema(int Version, int Latest)
{
    /// <summary>True when migrations are pending: <see cref="IStoreMaintenance.InitializeAsync"/> (<c>init</c>) applies them.</summary>
    public bool IsBehind => Version < Latest;

    /// <summary>True when a newer program migrated the store: this one refuses it.</summary>
    public bool IsAhead => Version > Latest;
}
