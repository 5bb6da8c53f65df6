using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NSwag;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// A C# client generated from an OpenAPI document by NSwag, as a caller of the API would generate it, compiled in memory
/// by Roslyn and loaded; its operations are called by operation id (<c>EvaluationsCreate</c> → <c>EvaluationsCreateAsync</c>)
/// with named arguments, and its bodies are built from its own generated classes.
/// </summary>
internal sealed class GeneratedClient
{
    private const string Namespace = "Generated.Assess";
    private readonly Assembly _assembly;
    private readonly object _client;

    private GeneratedClient(Assembly assembly, object client) => (_assembly, _client) = (assembly, client);

    /// <summary>The generated source.</summary>
    public string Code { get; private init; } = "";

    /// <summary>Generates the client's source from the document.</summary>
    public static async Task<string> GenerateAsync(string document)
    {
        var parsed = await OpenApiDocument.FromJsonAsync(document);
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "AssessClient",
            OperationNameGenerator = new SingleClientFromOperationIdOperationNameGenerator(),
            GenerateClientInterfaces = false,
            UseBaseUrl = false,
        };
        settings.CSharpGeneratorSettings.Namespace = Namespace;
        return new CSharpClientGenerator(parsed, settings).GenerateFile();
    }

    /// <summary>Compiles the source (errors fail the test, with the lines they name) and makes a client on <paramref name="http"/>.</summary>
    public static GeneratedClient Compile(string code, HttpClient http)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(Newtonsoft.Json.JsonConvert).Assembly.Location)
            .Distinct()
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create("Generated.Assess.Client",
            [CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        var lines = code.Split('\n');
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"{d} // {lines[d.Location.GetLineSpan().StartLinePosition.Line].Trim()}").ToList();
        Assert.True(emitted.Success, "the generated client does not compile:\n" + string.Join("\n", errors.Take(20)));
        var assembly = new AssemblyLoadContext("generated-client", isCollectible: true).LoadFromStream(new MemoryStream(image.ToArray()));
        var type = assembly.GetType($"{Namespace}.AssessClient", throwOnError: true)!;
        return new GeneratedClient(assembly, Activator.CreateInstance(type, http)!) { Code = code };
    }

    /// <summary>Another client of the same compiled code (no second compilation), on <paramref name="http"/>.</summary>
    public GeneratedClient On(HttpClient http) =>
        new(_assembly, Activator.CreateInstance(_client.GetType(), http)!) { Code = Code };

    /// <summary>The generated type of that name (a schema's class or enum).</summary>
    public Type Type(string name) => _assembly.GetType($"{Namespace}.{name}", throwOnError: true)!;

    /// <summary>An instance of a generated class with the given properties set.</summary>
    public object New(string type, IReadOnlyDictionary<string, object?> properties)
    {
        var instance = Activator.CreateInstance(Type(type))!;
        foreach (var (name, value) in properties)
        {
            var property = instance.GetType().GetProperty(name) ?? throw new MissingMemberException(type, name);
            property.SetValue(instance, value);
        }
        return instance;
    }

    /// <summary>The generated enum member whose wire value is <paramref name="value"/> (e.g. <c>county</c>).</summary>
    public object EnumValue(string type, string value)
    {
        var enumType = Type(type);
        foreach (var field in enumType.GetFields(BindingFlags.Public | BindingFlags.Static))
            if (field.GetCustomAttribute<System.Runtime.Serialization.EnumMemberAttribute>()?.Value == value) return field.GetValue(null)!;
        throw new MissingMemberException(type, value);
    }

    /// <summary>
    /// Calls the operation <paramref name="operationId"/> with the arguments named (the generated method's parameter names);
    /// the others take their defaults. Answers what the generated method answers (its result, or null for none).
    /// </summary>
    public async Task<object?> CallAsync(string operationId, IReadOnlyDictionary<string, object?>? arguments = null)
    {
        var method = _client.GetType().GetMethods()
            .Single(m => m.Name == operationId + "Async" && m.GetParameters().LastOrDefault()?.ParameterType != typeof(CancellationToken));
        arguments ??= new Dictionary<string, object?>();
        var unknown = arguments.Keys.Except(method.GetParameters().Select(p => p.Name!)).ToList();
        Assert.True(unknown.Count == 0, $"{method.Name} has no parameter {string.Join(", ", unknown)}: ({string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name + " " + p.Name))})");
        var values = method.GetParameters().Select(p => arguments.TryGetValue(p.Name!, out var v) ? v : p.HasDefaultValue ? p.DefaultValue : null).ToArray();
        var task = (Task)method.Invoke(_client, values)!;
        await task;
        return task.GetType().IsGenericType ? task.GetType().GetProperty("Result")!.GetValue(task) : null;
    }

    /// <summary>A property of an object the client returned.</summary>
    public static object? Get(object instance, string property) =>
        (instance.GetType().GetProperty(property) ?? throw new MissingMemberException(instance.GetType().Name, property)).GetValue(instance);
}
