Console.Error.WriteLine("usage: TfCrnn.Bench loader");
