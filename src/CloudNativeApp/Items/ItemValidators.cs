namespace CloudNativeApp.Items;

internal sealed class ItemRequestValidator : AbstractValidator<ItemRequest>
{
    public ItemRequestValidator(TimeProvider timeProvider)
    {
        RuleFor(request => request.Name)
            .Must(name => !string.IsNullOrWhiteSpace(name)).WithMessage("Name is required.")
            .Must(name => name is null || name.Trim().Length <= ItemRules.MaxNameLength)
            .WithMessage($"Name must be at most {ItemRules.MaxNameLength} characters.");

        RuleFor(request => request.Description)
            .MaximumLength(ItemRules.MaxDescriptionLength)
            .WithMessage($"Description must be at most {ItemRules.MaxDescriptionLength} characters.");

        RuleFor(request => request.Category)
            .Must(category => category is null || ItemRules.IsCategory(category))
            .WithMessage($"Category must be 1–{ItemRules.MaxCategoryLength} letters, digits, '-' or '_'.");

        RuleFor(request => request.Tags)
            .Must(tags => tags is null || tags.Count <= ItemRules.MaxTags)
            .WithMessage($"At most {ItemRules.MaxTags} tags are allowed.")
            .Must(tags => tags is null || tags.Distinct(StringComparer.Ordinal).Count() == tags.Count)
            .WithMessage("Tags must be unique.");

        RuleForEach(request => request.Tags)
            .Must(tag => !string.IsNullOrWhiteSpace(tag) && tag.Length <= ItemRules.MaxTagLength)
            .WithMessage($"Each tag must be 1–{ItemRules.MaxTagLength} characters and not blank.");

        RuleFor(request => request.ExpiresAt)
            .Must(expiresAt => expiresAt is null || ItemMapping.ToStoredExpiry(expiresAt.Value) > timeProvider.GetUtcNow())
            .WithMessage("ExpiresAt must be in the future (it is stored to the whole second).");
    }
}

internal sealed class ItemListQueryValidator : AbstractValidator<ItemListQuery>
{
    public ItemListQueryValidator()
    {
        RuleFor(query => query.Limit)
            .Must(limit => ItemListQuery.TryParsePageSize(limit, out _))
            .WithMessage(query => $"Limit must be a whole number between 1 and {ItemListQuery.MaxLimit}, not '{query.Limit}'.");

        RuleFor(query => query.Category)
            .Must(category => category is null || ItemRules.IsCategory(category))
            .WithMessage($"Category must be 1–{ItemRules.MaxCategoryLength} letters, digits, '-' or '_'.");
    }
}
