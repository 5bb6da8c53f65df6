using System.Text.Json.Nodes;

namespace BaiQianWan.Assess.Functions.Api.OpenApi;

/// <summary>Small builders of JSON Schema (2020-12, as OpenAPI 3.1 uses it) nodes, so the hand-written schemas read as their shape.</summary>
internal static class Schema
{
    public static JsonObject Ref(string component) => new() { ["$ref"] = "#/components/schemas/" + component };

    public static JsonObject String(string? description = null) => Described(new JsonObject { ["type"] = "string" }, description);

    public static JsonObject Integer(string? description = null) => Described(new JsonObject { ["type"] = "integer", ["format"] = "int32" }, description);

    /// <summary>An exact decimal (the engine's numbers are <c>decimal</c>, written without trailing zeros).</summary>
    public static JsonObject Decimal(string? description = null) => Described(new JsonObject { ["type"] = "number", ["format"] = "decimal" }, description);

    public static JsonObject Boolean(string? description = null) => Described(new JsonObject { ["type"] = "boolean" }, description);

    public static JsonObject Binary() => new() { ["type"] = "string", ["format"] = "binary" };

    public static JsonObject Words(IEnumerable<string> values, string? description = null) =>
        Described(new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. values.Select(v => (JsonNode)v)]) }, description);

    public static JsonObject Array(JsonObject items, string? description = null) => Described(new JsonObject { ["type"] = "array", ["items"] = items }, description);

    /// <summary>The schema or null: a type list for a simple type, <c>oneOf</c> for a reference.</summary>
    public static JsonObject Nullable(JsonObject schema)
    {
        if (schema["$ref"] is not null) return new JsonObject { ["oneOf"] = new JsonArray(schema, new JsonObject { ["type"] = "null" }) };
        var copy = (JsonObject)schema.DeepClone();
        copy["type"] = new JsonArray((string)schema["type"]!, "null");
        if (copy["enum"] is JsonArray values) values.Add(null);
        return copy;
    }

    /// <summary>An object whose listed properties are all required (<paramref name="optional"/> names those that may be absent).</summary>
    public static JsonObject Object(string? description, IEnumerable<(string Name, JsonObject Schema)> properties, params string[] optional)
    {
        var props = new JsonObject();
        var required = new JsonArray();
        foreach (var (name, schema) in properties)
        {
            props[name] = schema;
            if (!optional.Contains(name)) required.Add(name);
        }
        return Described(new JsonObject { ["type"] = "object", ["properties"] = props, ["required"] = required }, description);
    }

    private static JsonObject Described(JsonObject schema, string? description)
    {
        if (description is not null) schema["description"] = description;
        return schema;
    }
}
