namespace CloudNativeApp.Tests.Items;

public sealed class ItemStorePersistenceTests
{
    [Fact]
    public async Task Restarting_the_app_over_an_on_disk_dynalite_finds_the_data_again()
    {
        var dataPath = Directory.CreateTempSubdirectory("dynalite-data-").FullName;
        var tableName = ItemsApp.NewTableName();
        try
        {
            string id;
            await using (var dynalite = await DynaliteServer.StartNewAsync(dataPath))
            await using (var app = new ItemsApp(ItemsApp.DynamoDbSettings(dynalite.ServiceUrl, tableName)))
            {
                using var client = app.CreateClient();
                id = (await client.CreateItemAsync(new { name = "Persistent", category = "kept", tags = new[] { "disk" } })).Id();
                (await client.PatchAsync(id, """{"description":"written before the restart"}""")).Dispose();
            }

            // A new dynalite process (on another port) over the same files, and a new app that finds the table exists.
            await using (var dynalite = await DynaliteServer.StartNewAsync(dataPath))
            await using (var app = new ItemsApp(ItemsApp.DynamoDbSettings(dynalite.ServiceUrl, tableName)))
            {
                using var client = app.CreateClient();
                using var response = await client.GetAsync($"/items/{id}");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var item = (await response.ReadJsonAsync()).AsObject();
                Assert.Equal("written before the restart", item["description"]!.GetValue<string>());
                Assert.Equal(1, item["version"]!.GetValue<int>());

                var listed = (await client.ListAllPagesAsync("category=kept")).SelectMany(page => page).Select(listedItem => listedItem.Id());
                Assert.Equal([id], listed);
            }
        }
        finally
        {
            Directory.Delete(dataPath, recursive: true);
        }
    }
}
