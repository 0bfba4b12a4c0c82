//! One Zod schema used in several places is one Rust type (`fixtures/contracts/shared-types.ts`):
//! `Category` and `Item` are named after the property every use agrees on, the `Note` used as
//! `note` and `memo` keeps its first path name, and values move between methods without
//! conversions.

use clamator_codegen_tests::generated::shared_types::{
    AddItemParams, AddItemParamsNote, Category, GetItemResult, GetItemResultFound, Item,
    ListItemsParams, ListItemsResult,
};

#[test]
fn a_shared_schema_is_one_type_named_after_its_role() {
    let item = Item::new("W-1".into(), "widget".into(), Category::Tools, 2);
    // The item a lookup returns is the item a listing holds and an add takes: no conversion.
    let found = GetItemResult::from(GetItemResultFound::new(item.clone()));
    let GetItemResult::Found(found) = found else {
        panic!("{found:?}")
    };
    let listing = ListItemsResult::new(vec![found.item], vec![Category::Tools]);
    let add = AddItemParams {
        note: Some(AddItemParamsNote::new("fragile".into(), true)),
        ..AddItemParams::new(listing.items[0].clone())
    };
    assert_eq!(add.item, item);
    let filter = ListItemsParams {
        category: Some(item.category),
        memo: add.note.clone(),
    };
    assert_eq!(filter.category, Some(Category::Tools));
}
