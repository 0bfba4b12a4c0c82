//! Every fixture service served by `Fixture`, and called through its generated client.
//! Written by `clamator-codegen-rs/src/tests/fixture_registry.rs` from the generator's own names; do not edit by hand.
#![cfg_attr(rustfmt, rustfmt::skip)]

use clamator_protocol::serde::Serialize;
use clamator_protocol::serde::de::DeserializeOwned;
use clamator_protocol::serde_json::Value;
use clamator_protocol::{Client, Contract, Error, HandlerError, ProtocolError};

use crate::fixture::Fixture;
use crate::generated;

/// Calls `service.method` through its generated client proxy with `params` decoded into the
/// generated params type; the result comes back as JSON. `None` for an unknown method.
pub async fn call_through_client<C: Client>(client: &C, service: &str, method: &str, params: &Value) -> Option<Result<Value, Error>> {
    let call = async {
        match (service, method) {
        ("catalog", "awkwardEnumValues") => { let params: generated::catalog::AwkwardEnumValuesParams = decode(params)?; encode(generated::catalog::CatalogClient::new(client).awkward_enum_values(&params).await?) }
        ("catalog", "enumArray") => { let params: generated::catalog::EnumArrayParams = decode(params)?; encode(generated::catalog::CatalogClient::new(client).enum_array(&params).await?) }
        ("catalog", "literalUnions") => { let params: generated::catalog::LiteralUnionsParams = decode(params)?; encode(generated::catalog::CatalogClient::new(client).literal_unions(&params).await?) }
        ("catalog", "nativeEnums") => { let params: generated::catalog::NativeEnumsParams = decode(params)?; encode(generated::catalog::CatalogClient::new(client).native_enums(&params).await?) }
        ("catalog", "primitiveUnion") => { let params: generated::catalog::PrimitiveUnionParams = decode(params)?; encode(generated::catalog::CatalogClient::new(client).primitive_union(&params).await?) }
        ("catalog", "stringEnum") => { let params: generated::catalog::StringEnumParams = decode(params)?; encode(generated::catalog::CatalogClient::new(client).string_enum(&params).await?) }
        ("collections", "arrays") => { let params: generated::collections::ArraysParams = decode(params)?; encode(generated::collections::CollectionsClient::new(client).arrays(&params).await?) }
        ("collections", "deepNesting") => { let params: generated::collections::DeepNestingParams = decode(params)?; encode(generated::collections::CollectionsClient::new(client).deep_nesting(&params).await?) }
        ("collections", "emptyObject") => { let params: generated::collections::EmptyObjectParams = decode(params)?; encode(generated::collections::CollectionsClient::new(client).empty_object(&params).await?) }
        ("collections", "objectArray") => { let params: generated::collections::ObjectArrayParams = decode(params)?; encode(generated::collections::CollectionsClient::new(client).object_array(&params).await?) }
        ("collections", "objectHelpers") => { let params: generated::collections::ObjectHelpersParams = decode(params)?; encode(generated::collections::CollectionsClient::new(client).object_helpers(&params).await?) }
        ("collections", "objectModes") => { let params: generated::collections::ObjectModesParams = decode(params)?; encode(generated::collections::CollectionsClient::new(client).object_modes(&params).await?) }
        ("collections", "recordResult") => { let params: generated::collections::RecordResultParams = decode(params)?; encode(generated::collections::CollectionsClient::new(client).record_result(&params).await?) }
        ("collections", "records") => { let params: generated::collections::RecordsParams = decode(params)?; encode(generated::collections::CollectionsClient::new(client).records(&params).await?) }
        ("collections", "setsAndMaps") => { let params: generated::collections::SetsAndMapsParams = decode(params)?; encode(generated::collections::CollectionsClient::new(client).sets_and_maps(&params).await?) }
        ("collections", "tuples") => { let params: generated::collections::TuplesParams = decode(params)?; encode(generated::collections::CollectionsClient::new(client).tuples(&params).await?) }
        ("effects", "auditEvent") => { let params: generated::effects::AuditEventParams = decode(params)?; generated::effects::EffectsClient::new(client).audit_event(&params).await.map(|()| Value::Null) }
        ("effects", "broadcast") => { let params: generated::effects::BroadcastParams = decode(params)?; encode(generated::effects::EffectsClient::new(client).broadcast(&params).await?) }
        ("effects", "described") => { let params: generated::effects::DescribedParams = decode(params)?; encode(generated::effects::EffectsClient::new(client).described(&params).await?) }
        ("effects", "jobDone") => { let params: generated::effects::JobDoneParams = decode(params)?; generated::effects::EffectsClient::new(client).job_done(&params).await.map(|()| Value::Null) }
        ("effects", "piped") => { let params: generated::effects::PipedParams = decode(params)?; encode(generated::effects::EffectsClient::new(client).piped(&params).await?) }
        ("effects", "preprocessed") => { let params: generated::effects::PreprocessedParams = decode(params)?; encode(generated::effects::EffectsClient::new(client).preprocessed(&params).await?) }
        ("effects", "refined") => { let params: generated::effects::RefinedParams = decode(params)?; encode(generated::effects::EffectsClient::new(client).refined(&params).await?) }
        ("effects", "superRefined") => { let params: generated::effects::SuperRefinedParams = decode(params)?; encode(generated::effects::EffectsClient::new(client).super_refined(&params).await?) }
        ("effects", "transformed") => { let params: generated::effects::TransformedParams = decode(params)?; encode(generated::effects::EffectsClient::new(client).transformed(&params).await?) }
        ("effects", "tree") => { let params: generated::effects::TreeParams = decode(params)?; encode(generated::effects::EffectsClient::new(client).tree(&params).await?) }
        ("excavator-engine", "excavatorEngine") => { let params: generated::excavator_engine::ExcavatorEngineParams = decode(params)?; encode(generated::excavator_engine::ExcavatorEngineClient::new(client).excavator_engine(&params).await?) }
        ("excavator-engine", "excavatorEngineParams") => { let params: generated::excavator_engine::ExcavatorEngineParamsParams = decode(params)?; encode(generated::excavator_engine::ExcavatorEngineClient::new(client).excavator_engine_params(&params).await?) }
        ("excavator-engine", "start") => { let params: generated::excavator_engine::StartParams = decode(params)?; encode(generated::excavator_engine::ExcavatorEngineClient::new(client).start(&params).await?) }
        ("excavator-engine", "startEngine") => { let params: generated::excavator_engine::StartEngineParams = decode(params)?; encode(generated::excavator_engine::ExcavatorEngineClient::new(client).start_engine(&params).await?) }
        ("excavator-engine", "startParams") => { let params: generated::excavator_engine::StartParamsParams = decode(params)?; encode(generated::excavator_engine::ExcavatorEngineClient::new(client).start_params(&params).await?) }
        ("excavator-engine", "stopEngine") => { let params: generated::excavator_engine::StopEngineParams = decode(params)?; generated::excavator_engine::ExcavatorEngineClient::new(client).stop_engine(&params).await.map(|()| Value::Null) }
        ("launch-control", "abort") => { let params: generated::launch_control::AbortParams = decode(params)?; encode(generated::launch_control::LaunchControlClient::new(client).abort(&params).await?) }
        ("launch-control", "getWeather") => { let params: generated::launch_control::GetWeatherParams = decode(params)?; encode(generated::launch_control::LaunchControlClient::new(client).get_weather(&params).await?) }
        ("launch-control", "heartbeat") => { let params: generated::launch_control::HeartbeatParams = decode(params)?; generated::launch_control::LaunchControlClient::new(client).heartbeat(&params).await.map(|()| Value::Null) }
        ("launch-control", "launch") => { let params: generated::launch_control::LaunchParams = decode(params)?; encode(generated::launch_control::LaunchControlClient::new(client).launch(&params).await?) }
        ("launch-control", "listLaunches") => { let params: generated::launch_control::ListLaunchesParams = decode(params)?; encode(generated::launch_control::LaunchControlClient::new(client).list_launches(&params).await?) }
        ("launch-control", "reset") => { let params: generated::launch_control::ResetParams = decode(params)?; encode(generated::launch_control::LaunchControlClient::new(client).reset(&params).await?) }
        ("launch-control", "scrub") => { let params: generated::launch_control::ScrubParams = decode(params)?; generated::launch_control::LaunchControlClient::new(client).scrub(&params).await.map(|()| Value::Null) }
        ("launch-control", "setCountdown") => { let params: generated::launch_control::SetCountdownParams = decode(params)?; encode(generated::launch_control::LaunchControlClient::new(client).set_countdown(&params).await?) }
        ("launch-control", "status") => { let params: generated::launch_control::StatusParams = decode(params)?; encode(generated::launch_control::LaunchControlClient::new(client).status(&params).await?) }
        ("launch-control", "telemetry") => { let params: generated::launch_control::TelemetryParams = decode(params)?; generated::launch_control::LaunchControlClient::new(client).telemetry(&params).await.map(|()| Value::Null) }
        ("lint-traps", "deepNesting") => { let params: generated::lint_traps::DeepNestingParams = decode(params)?; encode(generated::lint_traps::LintTrapsClient::new(client).deep_nesting(&params).await?) }
        ("lint-traps", "directionAndControl") => { let params: generated::lint_traps::DirectionAndControlParams = decode(params)?; encode(generated::lint_traps::LintTrapsClient::new(client).direction_and_control(&params).await?) }
        ("lint-traps", "duplicateMembers") => { let params: generated::lint_traps::DuplicateMembersParams = decode(params)?; encode(generated::lint_traps::LintTrapsClient::new(client).duplicate_members(&params).await?) }
        ("lint-traps", "longTuple") => { let params: generated::lint_traps::LongTupleParams = decode(params)?; encode(generated::lint_traps::LintTrapsClient::new(client).long_tuple(&params).await?) }
        ("lint-traps", "nearConstants") => { let params: generated::lint_traps::NearConstantsParams = decode(params)?; encode(generated::lint_traps::LintTrapsClient::new(client).near_constants(&params).await?) }
        ("lint-traps", "selfNames") => { let params: generated::lint_traps::SelfNamesParams = decode(params)?; encode(generated::lint_traps::LintTrapsClient::new(client).self_names(&params).await?) }
        ("optionality", "defaults") => { let params: generated::optionality::DefaultsParams = decode(params)?; encode(generated::optionality::OptionalityClient::new(client).defaults(&params).await?) }
        ("optionality", "looseValues") => { let params: generated::optionality::LooseValuesParams = decode(params)?; encode(generated::optionality::OptionalityClient::new(client).loose_values(&params).await?) }
        ("optionality", "nullableFields") => { let params: generated::optionality::NullableFieldsParams = decode(params)?; encode(generated::optionality::OptionalityClient::new(client).nullable_fields(&params).await?) }
        ("optionality", "nullableNested") => { let params: generated::optionality::NullableNestedParams = decode(params)?; encode(generated::optionality::OptionalityClient::new(client).nullable_nested(&params).await?) }
        ("optionality", "nullableUnion") => { let params: generated::optionality::NullableUnionParams = decode(params)?; encode(generated::optionality::OptionalityClient::new(client).nullable_union(&params).await?) }
        ("optionality", "nullishFields") => { let params: generated::optionality::NullishFieldsParams = decode(params)?; encode(generated::optionality::OptionalityClient::new(client).nullish_fields(&params).await?) }
        ("optionality", "objectDefaults") => { let params: generated::optionality::ObjectDefaultsParams = decode(params)?; encode(generated::optionality::OptionalityClient::new(client).object_defaults(&params).await?) }
        ("optionality", "optionalFields") => { let params: generated::optionality::OptionalFieldsParams = decode(params)?; encode(generated::optionality::OptionalityClient::new(client).optional_fields(&params).await?) }
        ("optionality", "optionalItems") => { let params: generated::optionality::OptionalItemsParams = decode(params)?; encode(generated::optionality::OptionalityClient::new(client).optional_items(&params).await?) }
        ("optionality", "wrappedRules") => { let params: generated::optionality::WrappedRulesParams = decode(params)?; encode(generated::optionality::OptionalityClient::new(client).wrapped_rules(&params).await?) }
        ("pages", "create") => { let params: generated::pages::CreateParams = decode(params)?; encode(generated::pages::PagesClient::new(client).create(&params).await?) }
        ("pages", "edit") => { let params: generated::pages::EditParams = decode(params)?; encode(generated::pages::PagesClient::new(client).edit(&params).await?) }
        ("pages", "evaluate") => { let params: generated::pages::EvaluateParams = decode(params)?; encode(generated::pages::PagesClient::new(client).evaluate(&params).await?) }
        ("pages", "get") => { let params: generated::pages::GetParams = decode(params)?; encode(generated::pages::PagesClient::new(client).get(&params).await?) }
        ("result", "client") => { let params: generated::result::ClientParams = decode(params)?; encode(generated::result::ResultClient::new(client).client(&params).await?) }
        ("result", "clone") => { let params: generated::result::CloneParams = decode(params)?; encode(generated::result::ResultClient::new(client).clone(&params).await?) }
        ("result", "crate") => { let params: generated::result::CrateParams = decode(params)?; encode(generated::result::ResultClient::new(client).crate_(&params).await?) }
        ("result", "default") => { let params: generated::result::DefaultParams = decode(params)?; encode(generated::result::ResultClient::new(client).default(&params).await?) }
        ("result", "gen") => { let params: generated::result::GenParams = decode(params)?; encode(generated::result::ResultClient::new(client).r#gen(&params).await?) }
        ("result", "getHTTPStatus") => { let params: generated::result::GetHTTPStatusParams = decode(params)?; encode(generated::result::ResultClient::new(client).get_http_status(&params).await?) }
        ("result", "getUserId") => { let params: generated::result::GetUserIdParams = decode(params)?; encode(generated::result::ResultClient::new(client).get_user_id(&params).await?) }
        ("result", "getUserID") => { let params: generated::result::GetUserIDParams = decode(params)?; encode(generated::result::ResultClient::new(client).get_user_id_2(&params).await?) }
        ("result", "into") => { let params: generated::result::IntoParams = decode(params)?; generated::result::ResultClient::new(client).into_2(&params).await.map(|()| Value::Null) }
        ("result", "match") => { let params: generated::result::MatchParams = decode(params)?; encode(generated::result::ResultClient::new(client).r#match(&params).await?) }
        ("result", "new") => { let params: generated::result::NewParams = decode(params)?; encode(generated::result::ResultClient::new(client).new_2(&params).await?) }
        ("result", "result") => { let params: generated::result::ResultParams = decode(params)?; encode(generated::result::ResultClient::new(client).result(&params).await?) }
        ("result", "self") => { let params: generated::result::SelfParams = decode(params)?; encode(generated::result::ResultClient::new(client).self_(&params).await?) }
        ("result", "type") => { let params: generated::result::TypeParams = decode(params)?; encode(generated::result::ResultClient::new(client).r#type(&params).await?) }
        ("scalars", "dates") => { let params: generated::scalars::DatesParams = decode(params)?; encode(generated::scalars::ScalarsClient::new(client).dates(&params).await?) }
        ("scalars", "echoNumber") => { let params: generated::scalars::EchoNumberParams = decode(params)?; encode(generated::scalars::ScalarsClient::new(client).echo_number(&params).await?) }
        ("scalars", "echoUnicode") => { let params: generated::scalars::EchoUnicodeParams = decode(params)?; encode(generated::scalars::ScalarsClient::new(client).echo_unicode(&params).await?) }
        ("scalars", "escapedPatterns") => { let params: generated::scalars::EscapedPatternsParams = decode(params)?; encode(generated::scalars::ScalarsClient::new(client).escaped_patterns(&params).await?) }
        ("scalars", "literals") => { let params: generated::scalars::LiteralsParams = decode(params)?; encode(generated::scalars::ScalarsClient::new(client).literals(&params).await?) }
        ("scalars", "numberBounds") => { let params: generated::scalars::NumberBoundsParams = decode(params)?; encode(generated::scalars::ScalarsClient::new(client).number_bounds(&params).await?) }
        ("scalars", "primitives") => { let params: generated::scalars::PrimitivesParams = decode(params)?; encode(generated::scalars::ScalarsClient::new(client).primitives(&params).await?) }
        ("scalars", "stringFormats") => { let params: generated::scalars::StringFormatsParams = decode(params)?; encode(generated::scalars::ScalarsClient::new(client).string_formats(&params).await?) }
        ("scalars", "stringLengths") => { let params: generated::scalars::StringLengthsParams = decode(params)?; encode(generated::scalars::ScalarsClient::new(client).string_lengths(&params).await?) }
        ("scalars", "stringPatterns") => { let params: generated::scalars::StringPatternsParams = decode(params)?; encode(generated::scalars::ScalarsClient::new(client).string_patterns(&params).await?) }
        ("shapes", "booleanTagged") => { let params: generated::shapes::BooleanTaggedParams = decode(params)?; encode(generated::shapes::ShapesClient::new(client).boolean_tagged(&params).await?) }
        ("shapes", "intersection") => { let params: generated::shapes::IntersectionParams = decode(params)?; encode(generated::shapes::ShapesClient::new(client).intersection(&params).await?) }
        ("shapes", "intersectionRoot") => { let params: generated::shapes::IntersectionRootParams = decode(params)?; encode(generated::shapes::ShapesClient::new(client).intersection_root(&params).await?) }
        ("shapes", "neverResult") => { let params: generated::shapes::NeverResultParams = decode(params)?; encode(generated::shapes::ShapesClient::new(client).never_result(&params).await?) }
        ("shapes", "nullableTaggedUnion") => { let params: generated::shapes::NullableTaggedUnionParams = decode(params)?; encode(generated::shapes::ShapesClient::new(client).nullable_tagged_union(&params).await?) }
        ("shapes", "patch") => { let params: generated::shapes::PatchParams = decode(params)?; encode(generated::shapes::ShapesClient::new(client).patch(&params).await?) }
        ("shapes", "restRoot") => { let params: generated::shapes::RestRootParams = decode(params)?; encode(generated::shapes::ShapesClient::new(client).rest_root(&params).await?) }
        ("shapes", "stringTagged") => { let params: generated::shapes::StringTaggedParams = decode(params)?; encode(generated::shapes::ShapesClient::new(client).string_tagged(&params).await?) }
        ("shapes", "tupleRoot") => { let params: generated::shapes::TupleRootParams = decode(params)?; encode(generated::shapes::ShapesClient::new(client).tuple_root(&params).await?) }
        ("shapes", "undefinedResult") => { let params: generated::shapes::UndefinedResultParams = decode(params)?; encode(generated::shapes::ShapesClient::new(client).undefined_result(&params).await?) }
        ("shapes", "unionRoot") => { let params: generated::shapes::UnionRootParams = decode(params)?; encode(generated::shapes::ShapesClient::new(client).union_root(&params).await?) }
        ("shapes", "unknownResult") => { let params: generated::shapes::UnknownResultParams = decode(params)?; encode(generated::shapes::ShapesClient::new(client).unknown_result(&params).await?) }
        ("shapes", "untagged") => { let params: generated::shapes::UntaggedParams = decode(params)?; encode(generated::shapes::ShapesClient::new(client).untagged(&params).await?) }
        ("shapes", "voidAndAnyResults") => { let params: generated::shapes::VoidAndAnyResultsParams = decode(params)?; encode(generated::shapes::ShapesClient::new(client).void_and_any_results(&params).await?) }
        ("shared-types", "addItem") => { let params: generated::shared_types::AddItemParams = decode(params)?; encode(generated::shared_types::SharedTypesClient::new(client).add_item(&params).await?) }
        ("shared-types", "getItem") => { let params: generated::shared_types::GetItemParams = decode(params)?; encode(generated::shared_types::SharedTypesClient::new(client).get_item(&params).await?) }
        ("shared-types", "listItems") => { let params: generated::shared_types::ListItemsParams = decode(params)?; encode(generated::shared_types::SharedTypesClient::new(client).list_items(&params).await?) }
        ("talk", "post") => { let params: generated::talk::PostParams = decode(params)?; encode(generated::talk::TalkClient::new(client).post(&params).await?) }
        ("talk", "thread") => { let params: generated::talk::ThreadParams = decode(params)?; encode(generated::talk::TalkClient::new(client).thread(&params).await?) }
        ("typing-edges", "fields") => { let params: generated::typing_edges::FieldsParams = decode(params)?; encode(generated::typing_edges::TypingEdgesClient::new(client).fields(&params).await?) }
        ("value-rules", "nested") => { let params: generated::value_rules::NestedParams = decode(params)?; encode(generated::value_rules::ValueRulesClient::new(client).nested(&params).await?) }
        ("value-rules", "numbers") => { let params: generated::value_rules::NumbersParams = decode(params)?; encode(generated::value_rules::ValueRulesClient::new(client).numbers(&params).await?) }
        ("value-rules", "piped") => { let params: generated::value_rules::PipedParams = decode(params)?; encode(generated::value_rules::ValueRulesClient::new(client).piped(&params).await?) }
        ("value-rules", "strings") => { let params: generated::value_rules::StringsParams = decode(params)?; encode(generated::value_rules::ValueRulesClient::new(client).strings(&params).await?) }
            _ => Err(Error::Usage(String::new())),
        }
    };
    match call.await {
        Err(Error::Usage(u)) if u.is_empty() => None,
        other => Some(other),
    }
}

fn decode<T: DeserializeOwned>(value: &Value) -> Result<T, Error> {
    clamator_protocol::validation::decode(value).map_err(|e| ProtocolError::new(e.to_string()).into())
}

fn encode<T: Serialize>(value: T) -> Result<Value, Error> {
    clamator_protocol::serde_json::to_value(&value).map_err(|e| ProtocolError::new(e.to_string()).into())
}

/// The contract of every fixture service, each served by `fixture`.
pub fn contracts(fixture: &Fixture) -> Vec<Contract> {
    vec![
        generated::catalog::into_contract(fixture.clone()),
        generated::collections::into_contract(fixture.clone()),
        generated::effects::into_contract(fixture.clone()),
        generated::empty_service::into_contract(fixture.clone()),
        generated::excavator_engine::into_contract(fixture.clone()),
        generated::launch_control::into_contract(fixture.clone()),
        generated::lint_traps::into_contract(fixture.clone()),
        generated::optionality::into_contract(fixture.clone()),
        generated::pages::into_contract(fixture.clone()),
        generated::result::into_contract(fixture.clone()),
        generated::scalars::into_contract(fixture.clone()),
        generated::shapes::into_contract(fixture.clone()),
        generated::shared_types::into_contract(fixture.clone()),
        generated::talk::into_contract(fixture.clone()),
        generated::typing_edges::into_contract(fixture.clone()),
        generated::value_rules::into_contract(fixture.clone()),
    ]
}

impl generated::catalog::CatalogService for Fixture {
    async fn awkward_enum_values(&self, params: generated::catalog::AwkwardEnumValuesParams) -> Result<generated::catalog::AwkwardEnumValuesResult, HandlerError> { self.answer("catalog", "awkwardEnumValues", &params) }
    async fn enum_array(&self, params: generated::catalog::EnumArrayParams) -> Result<generated::catalog::EnumArrayResult, HandlerError> { self.answer("catalog", "enumArray", &params) }
    async fn literal_unions(&self, params: generated::catalog::LiteralUnionsParams) -> Result<generated::catalog::LiteralUnionsResult, HandlerError> { self.answer("catalog", "literalUnions", &params) }
    async fn native_enums(&self, params: generated::catalog::NativeEnumsParams) -> Result<generated::catalog::NativeEnumsResult, HandlerError> { self.answer("catalog", "nativeEnums", &params) }
    async fn primitive_union(&self, params: generated::catalog::PrimitiveUnionParams) -> Result<generated::catalog::PrimitiveUnionResult, HandlerError> { self.answer("catalog", "primitiveUnion", &params) }
    async fn string_enum(&self, params: generated::catalog::StringEnumParams) -> Result<generated::catalog::StringEnumResult, HandlerError> { self.answer("catalog", "stringEnum", &params) }
}

impl generated::collections::CollectionsService for Fixture {
    async fn arrays(&self, params: generated::collections::ArraysParams) -> Result<generated::collections::ArraysResult, HandlerError> { self.answer("collections", "arrays", &params) }
    async fn deep_nesting(&self, params: generated::collections::DeepNestingParams) -> Result<generated::collections::DeepNestingResult, HandlerError> { self.answer("collections", "deepNesting", &params) }
    async fn empty_object(&self, params: generated::collections::EmptyObjectParams) -> Result<generated::collections::EmptyObjectResult, HandlerError> { self.answer("collections", "emptyObject", &params) }
    async fn object_array(&self, params: generated::collections::ObjectArrayParams) -> Result<generated::collections::ObjectArrayResult, HandlerError> { self.answer("collections", "objectArray", &params) }
    async fn object_helpers(&self, params: generated::collections::ObjectHelpersParams) -> Result<generated::collections::ObjectHelpersResult, HandlerError> { self.answer("collections", "objectHelpers", &params) }
    async fn object_modes(&self, params: generated::collections::ObjectModesParams) -> Result<generated::collections::ObjectModesResult, HandlerError> { self.answer("collections", "objectModes", &params) }
    async fn record_result(&self, params: generated::collections::RecordResultParams) -> Result<generated::collections::RecordResultResult, HandlerError> { self.answer("collections", "recordResult", &params) }
    async fn records(&self, params: generated::collections::RecordsParams) -> Result<generated::collections::RecordsResult, HandlerError> { self.answer("collections", "records", &params) }
    async fn sets_and_maps(&self, params: generated::collections::SetsAndMapsParams) -> Result<generated::collections::SetsAndMapsResult, HandlerError> { self.answer("collections", "setsAndMaps", &params) }
    async fn tuples(&self, params: generated::collections::TuplesParams) -> Result<generated::collections::TuplesResult, HandlerError> { self.answer("collections", "tuples", &params) }
}

impl generated::effects::EffectsService for Fixture {
    async fn audit_event(&self, params: generated::effects::AuditEventParams) { self.notification("effects", "auditEvent", &params) }
    async fn broadcast(&self, params: generated::effects::BroadcastParams) -> Result<generated::effects::BroadcastResult, HandlerError> { self.answer("effects", "broadcast", &params) }
    async fn described(&self, params: generated::effects::DescribedParams) -> Result<generated::effects::DescribedResult, HandlerError> { self.answer("effects", "described", &params) }
    async fn job_done(&self, params: generated::effects::JobDoneParams) { self.notification("effects", "jobDone", &params) }
    async fn piped(&self, params: generated::effects::PipedParams) -> Result<generated::effects::PipedResult, HandlerError> { self.answer("effects", "piped", &params) }
    async fn preprocessed(&self, params: generated::effects::PreprocessedParams) -> Result<generated::effects::PreprocessedResult, HandlerError> { self.answer("effects", "preprocessed", &params) }
    async fn refined(&self, params: generated::effects::RefinedParams) -> Result<generated::effects::RefinedResult, HandlerError> { self.answer("effects", "refined", &params) }
    async fn super_refined(&self, params: generated::effects::SuperRefinedParams) -> Result<generated::effects::SuperRefinedResult, HandlerError> { self.answer("effects", "superRefined", &params) }
    async fn transformed(&self, params: generated::effects::TransformedParams) -> Result<generated::effects::TransformedResult, HandlerError> { self.answer("effects", "transformed", &params) }
    async fn tree(&self, params: generated::effects::TreeParams) -> Result<generated::effects::TreeResult, HandlerError> { self.answer("effects", "tree", &params) }
}

impl generated::empty_service::EmptyServiceService for Fixture {
}

impl generated::excavator_engine::ExcavatorEngineService for Fixture {
    async fn excavator_engine(&self, params: generated::excavator_engine::ExcavatorEngineParams) -> Result<generated::excavator_engine::ExcavatorEngineResult, HandlerError> { self.answer("excavator-engine", "excavatorEngine", &params) }
    async fn excavator_engine_params(&self, params: generated::excavator_engine::ExcavatorEngineParamsParams) -> Result<generated::excavator_engine::ExcavatorEngineParamsResult, HandlerError> { self.answer("excavator-engine", "excavatorEngineParams", &params) }
    async fn start(&self, params: generated::excavator_engine::StartParams) -> Result<generated::excavator_engine::StartResult, HandlerError> { self.answer("excavator-engine", "start", &params) }
    async fn start_engine(&self, params: generated::excavator_engine::StartEngineParams) -> Result<generated::excavator_engine::StartEngineResult, HandlerError> { self.answer("excavator-engine", "startEngine", &params) }
    async fn start_params(&self, params: generated::excavator_engine::StartParamsParams) -> Result<generated::excavator_engine::StartParamsResult, HandlerError> { self.answer("excavator-engine", "startParams", &params) }
    async fn stop_engine(&self, params: generated::excavator_engine::StopEngineParams) { self.notification("excavator-engine", "stopEngine", &params) }
}

impl generated::launch_control::LaunchControlService for Fixture {
    async fn abort(&self, params: generated::launch_control::AbortParams) -> Result<generated::launch_control::AbortResult, HandlerError> { self.answer("launch-control", "abort", &params) }
    async fn get_weather(&self, params: generated::launch_control::GetWeatherParams) -> Result<generated::launch_control::GetWeatherResult, HandlerError> { self.answer("launch-control", "getWeather", &params) }
    async fn heartbeat(&self, params: generated::launch_control::HeartbeatParams) { self.notification("launch-control", "heartbeat", &params) }
    async fn launch(&self, params: generated::launch_control::LaunchParams) -> Result<generated::launch_control::LaunchResult, HandlerError> { self.answer("launch-control", "launch", &params) }
    async fn list_launches(&self, params: generated::launch_control::ListLaunchesParams) -> Result<generated::launch_control::ListLaunchesResult, HandlerError> { self.answer("launch-control", "listLaunches", &params) }
    async fn reset(&self, params: generated::launch_control::ResetParams) -> Result<generated::launch_control::ResetResult, HandlerError> { self.answer("launch-control", "reset", &params) }
    async fn scrub(&self, params: generated::launch_control::ScrubParams) { self.notification("launch-control", "scrub", &params) }
    async fn set_countdown(&self, params: generated::launch_control::SetCountdownParams) -> Result<generated::launch_control::SetCountdownResult, HandlerError> { self.answer("launch-control", "setCountdown", &params) }
    async fn status(&self, params: generated::launch_control::StatusParams) -> Result<generated::launch_control::StatusResult, HandlerError> { self.answer("launch-control", "status", &params) }
    async fn telemetry(&self, params: generated::launch_control::TelemetryParams) { self.notification("launch-control", "telemetry", &params) }
}

impl generated::lint_traps::LintTrapsService for Fixture {
    async fn deep_nesting(&self, params: generated::lint_traps::DeepNestingParams) -> Result<generated::lint_traps::DeepNestingResult, HandlerError> { self.answer("lint-traps", "deepNesting", &params) }
    async fn direction_and_control(&self, params: generated::lint_traps::DirectionAndControlParams) -> Result<generated::lint_traps::DirectionAndControlResult, HandlerError> { self.answer("lint-traps", "directionAndControl", &params) }
    async fn duplicate_members(&self, params: generated::lint_traps::DuplicateMembersParams) -> Result<generated::lint_traps::DuplicateMembersResult, HandlerError> { self.answer("lint-traps", "duplicateMembers", &params) }
    async fn long_tuple(&self, params: generated::lint_traps::LongTupleParams) -> Result<generated::lint_traps::LongTupleResult, HandlerError> { self.answer("lint-traps", "longTuple", &params) }
    async fn near_constants(&self, params: generated::lint_traps::NearConstantsParams) -> Result<generated::lint_traps::NearConstantsResult, HandlerError> { self.answer("lint-traps", "nearConstants", &params) }
    async fn self_names(&self, params: generated::lint_traps::SelfNamesParams) -> Result<generated::lint_traps::SelfNamesResult, HandlerError> { self.answer("lint-traps", "selfNames", &params) }
}

impl generated::optionality::OptionalityService for Fixture {
    async fn defaults(&self, params: generated::optionality::DefaultsParams) -> Result<generated::optionality::DefaultsResult, HandlerError> { self.answer("optionality", "defaults", &params) }
    async fn loose_values(&self, params: generated::optionality::LooseValuesParams) -> Result<generated::optionality::LooseValuesResult, HandlerError> { self.answer("optionality", "looseValues", &params) }
    async fn nullable_fields(&self, params: generated::optionality::NullableFieldsParams) -> Result<generated::optionality::NullableFieldsResult, HandlerError> { self.answer("optionality", "nullableFields", &params) }
    async fn nullable_nested(&self, params: generated::optionality::NullableNestedParams) -> Result<generated::optionality::NullableNestedResult, HandlerError> { self.answer("optionality", "nullableNested", &params) }
    async fn nullable_union(&self, params: generated::optionality::NullableUnionParams) -> Result<generated::optionality::NullableUnionResult, HandlerError> { self.answer("optionality", "nullableUnion", &params) }
    async fn nullish_fields(&self, params: generated::optionality::NullishFieldsParams) -> Result<generated::optionality::NullishFieldsResult, HandlerError> { self.answer("optionality", "nullishFields", &params) }
    async fn object_defaults(&self, params: generated::optionality::ObjectDefaultsParams) -> Result<generated::optionality::ObjectDefaultsResult, HandlerError> { self.answer("optionality", "objectDefaults", &params) }
    async fn optional_fields(&self, params: generated::optionality::OptionalFieldsParams) -> Result<generated::optionality::OptionalFieldsResult, HandlerError> { self.answer("optionality", "optionalFields", &params) }
    async fn optional_items(&self, params: generated::optionality::OptionalItemsParams) -> Result<generated::optionality::OptionalItemsResult, HandlerError> { self.answer("optionality", "optionalItems", &params) }
    async fn wrapped_rules(&self, params: generated::optionality::WrappedRulesParams) -> Result<generated::optionality::WrappedRulesResult, HandlerError> { self.answer("optionality", "wrappedRules", &params) }
}

impl generated::pages::PagesService for Fixture {
    async fn create(&self, params: generated::pages::CreateParams) -> Result<generated::pages::CreateResult, HandlerError> { self.answer("pages", "create", &params) }
    async fn edit(&self, params: generated::pages::EditParams) -> Result<generated::pages::EditResult, HandlerError> { self.answer("pages", "edit", &params) }
    async fn evaluate(&self, params: generated::pages::EvaluateParams) -> Result<generated::pages::EvaluateResult, HandlerError> { self.answer("pages", "evaluate", &params) }
    async fn get(&self, params: generated::pages::GetParams) -> Result<generated::pages::GetResult, HandlerError> { self.answer("pages", "get", &params) }
}

impl generated::result::ResultService for Fixture {
    async fn client(&self, params: generated::result::ClientParams) -> Result<generated::result::ClientResult, HandlerError> { self.answer("result", "client", &params) }
    async fn clone(&self, params: generated::result::CloneParams) -> Result<generated::result::CloneResult, HandlerError> { self.answer("result", "clone", &params) }
    async fn crate_(&self, params: generated::result::CrateParams) -> Result<generated::result::CrateResult, HandlerError> { self.answer("result", "crate", &params) }
    async fn default(&self, params: generated::result::DefaultParams) -> Result<generated::result::DefaultResult, HandlerError> { self.answer("result", "default", &params) }
    async fn r#gen(&self, params: generated::result::GenParams) -> Result<generated::result::GenResult, HandlerError> { self.answer("result", "gen", &params) }
    async fn get_http_status(&self, params: generated::result::GetHTTPStatusParams) -> Result<generated::result::GetHTTPStatusResult, HandlerError> { self.answer("result", "getHTTPStatus", &params) }
    async fn get_user_id(&self, params: generated::result::GetUserIdParams) -> Result<generated::result::GetUserIdResult, HandlerError> { self.answer("result", "getUserId", &params) }
    async fn get_user_id_2(&self, params: generated::result::GetUserIDParams) -> Result<generated::result::GetUserIDResult, HandlerError> { self.answer("result", "getUserID", &params) }
    async fn into_2(&self, params: generated::result::IntoParams) { self.notification("result", "into", &params) }
    async fn r#match(&self, params: generated::result::MatchParams) -> Result<generated::result::MatchResult, HandlerError> { self.answer("result", "match", &params) }
    async fn new_2(&self, params: generated::result::NewParams) -> Result<generated::result::NewResult, HandlerError> { self.answer("result", "new", &params) }
    async fn result(&self, params: generated::result::ResultParams) -> Result<generated::result::ResultResult, HandlerError> { self.answer("result", "result", &params) }
    async fn self_(&self, params: generated::result::SelfParams) -> Result<generated::result::SelfResult, HandlerError> { self.answer("result", "self", &params) }
    async fn r#type(&self, params: generated::result::TypeParams) -> Result<generated::result::TypeResult, HandlerError> { self.answer("result", "type", &params) }
}

impl generated::scalars::ScalarsService for Fixture {
    async fn dates(&self, params: generated::scalars::DatesParams) -> Result<generated::scalars::DatesResult, HandlerError> { self.answer("scalars", "dates", &params) }
    async fn echo_number(&self, params: generated::scalars::EchoNumberParams) -> Result<generated::scalars::EchoNumberResult, HandlerError> { self.answer("scalars", "echoNumber", &params) }
    async fn echo_unicode(&self, params: generated::scalars::EchoUnicodeParams) -> Result<generated::scalars::EchoUnicodeResult, HandlerError> { self.answer("scalars", "echoUnicode", &params) }
    async fn escaped_patterns(&self, params: generated::scalars::EscapedPatternsParams) -> Result<generated::scalars::EscapedPatternsResult, HandlerError> { self.answer("scalars", "escapedPatterns", &params) }
    async fn literals(&self, params: generated::scalars::LiteralsParams) -> Result<generated::scalars::LiteralsResult, HandlerError> { self.answer("scalars", "literals", &params) }
    async fn number_bounds(&self, params: generated::scalars::NumberBoundsParams) -> Result<generated::scalars::NumberBoundsResult, HandlerError> { self.answer("scalars", "numberBounds", &params) }
    async fn primitives(&self, params: generated::scalars::PrimitivesParams) -> Result<generated::scalars::PrimitivesResult, HandlerError> { self.answer("scalars", "primitives", &params) }
    async fn string_formats(&self, params: generated::scalars::StringFormatsParams) -> Result<generated::scalars::StringFormatsResult, HandlerError> { self.answer("scalars", "stringFormats", &params) }
    async fn string_lengths(&self, params: generated::scalars::StringLengthsParams) -> Result<generated::scalars::StringLengthsResult, HandlerError> { self.answer("scalars", "stringLengths", &params) }
    async fn string_patterns(&self, params: generated::scalars::StringPatternsParams) -> Result<generated::scalars::StringPatternsResult, HandlerError> { self.answer("scalars", "stringPatterns", &params) }
}

impl generated::shapes::ShapesService for Fixture {
    async fn boolean_tagged(&self, params: generated::shapes::BooleanTaggedParams) -> Result<generated::shapes::BooleanTaggedResult, HandlerError> { self.answer("shapes", "booleanTagged", &params) }
    async fn intersection(&self, params: generated::shapes::IntersectionParams) -> Result<generated::shapes::IntersectionResult, HandlerError> { self.answer("shapes", "intersection", &params) }
    async fn intersection_root(&self, params: generated::shapes::IntersectionRootParams) -> Result<generated::shapes::IntersectionRootResult, HandlerError> { self.answer("shapes", "intersectionRoot", &params) }
    async fn never_result(&self, params: generated::shapes::NeverResultParams) -> Result<generated::shapes::NeverResultResult, HandlerError> { self.answer("shapes", "neverResult", &params) }
    async fn nullable_tagged_union(&self, params: generated::shapes::NullableTaggedUnionParams) -> Result<generated::shapes::NullableTaggedUnionResult, HandlerError> { self.answer("shapes", "nullableTaggedUnion", &params) }
    async fn patch(&self, params: generated::shapes::PatchParams) -> Result<generated::shapes::PatchResult, HandlerError> { self.answer("shapes", "patch", &params) }
    async fn rest_root(&self, params: generated::shapes::RestRootParams) -> Result<generated::shapes::RestRootResult, HandlerError> { self.answer("shapes", "restRoot", &params) }
    async fn string_tagged(&self, params: generated::shapes::StringTaggedParams) -> Result<generated::shapes::StringTaggedResult, HandlerError> { self.answer("shapes", "stringTagged", &params) }
    async fn tuple_root(&self, params: generated::shapes::TupleRootParams) -> Result<generated::shapes::TupleRootResult, HandlerError> { self.answer("shapes", "tupleRoot", &params) }
    async fn undefined_result(&self, params: generated::shapes::UndefinedResultParams) -> Result<generated::shapes::UndefinedResultResult, HandlerError> { self.answer("shapes", "undefinedResult", &params) }
    async fn union_root(&self, params: generated::shapes::UnionRootParams) -> Result<generated::shapes::UnionRootResult, HandlerError> { self.answer("shapes", "unionRoot", &params) }
    async fn unknown_result(&self, params: generated::shapes::UnknownResultParams) -> Result<generated::shapes::UnknownResultResult, HandlerError> { self.answer("shapes", "unknownResult", &params) }
    async fn untagged(&self, params: generated::shapes::UntaggedParams) -> Result<generated::shapes::UntaggedResult, HandlerError> { self.answer("shapes", "untagged", &params) }
    async fn void_and_any_results(&self, params: generated::shapes::VoidAndAnyResultsParams) -> Result<generated::shapes::VoidAndAnyResultsResult, HandlerError> { self.answer("shapes", "voidAndAnyResults", &params) }
}

impl generated::shared_types::SharedTypesService for Fixture {
    async fn add_item(&self, params: generated::shared_types::AddItemParams) -> Result<generated::shared_types::AddItemResult, HandlerError> { self.answer("shared-types", "addItem", &params) }
    async fn get_item(&self, params: generated::shared_types::GetItemParams) -> Result<generated::shared_types::GetItemResult, HandlerError> { self.answer("shared-types", "getItem", &params) }
    async fn list_items(&self, params: generated::shared_types::ListItemsParams) -> Result<generated::shared_types::ListItemsResult, HandlerError> { self.answer("shared-types", "listItems", &params) }
}

impl generated::talk::TalkService for Fixture {
    async fn post(&self, params: generated::talk::PostParams) -> Result<generated::talk::PostResult, HandlerError> { self.answer("talk", "post", &params) }
    async fn thread(&self, params: generated::talk::ThreadParams) -> Result<generated::talk::ThreadResult, HandlerError> { self.answer("talk", "thread", &params) }
}

impl generated::typing_edges::TypingEdgesService for Fixture {
    async fn fields(&self, params: generated::typing_edges::FieldsParams) -> Result<generated::typing_edges::FieldsResult, HandlerError> { self.answer("typing-edges", "fields", &params) }
}

impl generated::value_rules::ValueRulesService for Fixture {
    async fn nested(&self, params: generated::value_rules::NestedParams) -> Result<generated::value_rules::NestedResult, HandlerError> { self.answer("value-rules", "nested", &params) }
    async fn numbers(&self, params: generated::value_rules::NumbersParams) -> Result<generated::value_rules::NumbersResult, HandlerError> { self.answer("value-rules", "numbers", &params) }
    async fn piped(&self, params: generated::value_rules::PipedParams) -> Result<generated::value_rules::PipedResult, HandlerError> { self.answer("value-rules", "piped", &params) }
    async fn strings(&self, params: generated::value_rules::StringsParams) -> Result<generated::value_rules::StringsResult, HandlerError> { self.answer("value-rules", "strings", &params) }
}

