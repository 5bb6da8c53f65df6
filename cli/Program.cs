using BaiQianWan.Assess.Cli;

return CliApp.Run(args, Console.Out, Console.Error);
