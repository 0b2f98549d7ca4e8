namespace CloudNativeApp.Web.Tests.Web;

[Collection(WebAppTests.Name)]
public sealed class CalculatorPageTests(WebAppFixture app)
{
    [Theory]
    [InlineData("10", "20", false, "30", "200", "10", "0.5")]
    // Decimals, submitted with Enter: binary floating point would show a sum of 0.30000000000000004.
    [InlineData("0.1", "0.2", true, "0.3", "0.02", "0.1", "0.5")]
    public async Task Shows_the_four_results_exactly_as_the_api_computes_them(
        string first, string second, bool submitWithEnter, string sum, string product, string difference, string quotient)
    {
        await using var browser = await app.OpenPageAsync();
        var page = browser.Page;

        await CalculateAsync(page, first, second, submitWithEnter);

        await Expect(Result(page, "Sum")).ToHaveTextAsync(sum);
        await Expect(Result(page, "Product")).ToHaveTextAsync(product);
        await Expect(Result(page, "Difference")).ToHaveTextAsync(difference);
        await Expect(Result(page, "Quotient")).ToHaveTextAsync(quotient);
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task Division_by_zero_is_shown_next_to_the_second_number()
    {
        await using var browser = await app.OpenPageAsync();
        var page = browser.Page;
        var second = page.GetByLabel("Second number");

        await CalculateAsync(page, "7", "0");

        await Expect(page.Locator("#number2-error")).ToHaveTextAsync("Cannot divide by zero.");
        await Expect(second).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(second).ToHaveAccessibleDescriptionAsync("Cannot divide by zero.");
        await Expect(page.Locator("#number1-error")).ToBeHiddenAsync();
        await Expect(Result(page, "Sum")).ToHaveTextAsync("–");

        // Correcting the input clears the error.
        await second.FillAsync("2");
        await CalculateButton(page).ClickAsync();
        await Expect(Result(page, "Quotient")).ToHaveTextAsync("3.5");
        await Expect(page.Locator("#number2-error")).ToBeHiddenAsync();
        await Expect(second).Not.ToHaveAttributeAsync("aria-invalid", "true");
        browser.AssertNoErrors(400);
    }

    [Fact]
    public async Task Input_that_is_not_a_number_is_caught_before_calling_the_api()
    {
        await using var browser = await app.OpenPageAsync();
        var page = browser.Page;
        var calls = 0;
        page.Request += (_, request) => calls += request.Url.EndsWith("/calculator", StringComparison.Ordinal) ? 1 : 0;

        await CalculateAsync(page, "ten", second: null);

        await Expect(page.Locator("#number1-error")).ToHaveTextAsync("Enter a number, such as 12 or -3.5.");
        await Expect(page.Locator("#number2-error")).ToHaveTextAsync("Enter a number.");
        await Expect(page.GetByLabel("First number")).ToBeFocusedAsync();
        Assert.Equal(0, calls);
        browser.AssertNoErrors();
    }

    /// <summary>Types the numbers (leaving the second empty when null) and presses Calculate, or Enter in the second field.</summary>
    private static async Task CalculateAsync(IPage page, string first, string? second, bool submitWithEnter = false)
    {
        await page.GetByLabel("First number").FillAsync(first);
        if (second is not null)
        {
            await page.GetByLabel("Second number").FillAsync(second);
        }

        if (submitWithEnter)
        {
            await page.GetByLabel("Second number").PressAsync("Enter");
        }
        else
        {
            await CalculateButton(page).ClickAsync();
        }
    }

    private static ILocator CalculateButton(IPage page) => page.GetByRole(AriaRole.Button, new() { Name = "Calculate" });

    private static ILocator Result(IPage page, string name) =>
        page.Locator("#calculator-result div").Filter(new() { Has = page.GetByText(name, new() { Exact = true }) }).Locator("dd");
}
