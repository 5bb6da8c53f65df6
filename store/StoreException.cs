namespace BaiQianWan.Assess.Store;

/// <summary>A request the store refuses (unknown id, wrong state, conflict), with a message fit for the user.</summary>
public sealed class StoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreException(StoreError error, string message) : base(message) => Error = error;

    /// <summary>What kind of refusal this is (hosts map it to exit codes and HTTP status codes).</summary>
    public StoreError Error { get; }
}

/// <summary>Kinds of store refusal.</summary>
public enum StoreError
{
    /// <summary>The thing named does not exist (HTTP 404).</summary>
    NotFound,
    /// <summary>The thing is in the wrong state for this, e.g. publishing a failed run (HTTP 409).</summary>
    Conflict,
    /// <summary>The input refers to things that do not exist, e.g. observations of unknown units (HTTP 422).</summary>
    Invalid,
    /// <summary>Another writer changed the same thing first; retry (HTTP 412/409).</summary>
    Concurrency,
    /// <summary>The store cannot be used: its file is damaged, is not a database, or does not take writes (HTTP 503; exit 3).</summary>
    Unavailable,
}
