//! Every envelope rule of the protocol, in order, with its exact message.

use clamator_protocol::envelope::{
    Envelope, InvalidEnvelope, error_response, parse_envelope, success_response,
};
use clamator_protocol::{Id, RpcError};
use serde_json::{Value, json};

fn reason(value: Value) -> String {
    parse_envelope(value).unwrap_err().to_string()
}

#[test]
fn batch_and_non_objects_are_refused_first() {
    assert_eq!(
        reason(json!([])),
        "-32600 Invalid Request: batch requests not supported"
    );
    assert_eq!(
        reason(json!([{"jsonrpc": "2.0", "method": "a.b", "id": 1}])),
        "-32600 Invalid Request: batch requests not supported"
    );
    for value in [json!(null), json!(1), json!("x"), json!(true)] {
        assert_eq!(reason(value), "-32600 Invalid Request: not an object");
    }
}

#[test]
fn jsonrpc_must_be_the_string_2_0() {
    for bad in [
        json!({}),
        json!({"jsonrpc": 2.0}),
        json!({"jsonrpc": "2"}),
        json!({"jsonrpc": null}),
    ] {
        assert_eq!(
            reason(bad),
            "-32600 Invalid Request: jsonrpc must equal \"2.0\""
        );
    }
}

#[test]
fn method_is_split_at_the_first_dot() {
    let env = parse_envelope(json!({"jsonrpc": "2.0", "method": "svc.m", "id": "x"})).unwrap();
    let Envelope::Request(r) = env else {
        panic!("{env:?}")
    };
    assert_eq!((r.service.as_str(), r.method.as_str()), ("svc", "m"));
    assert_eq!(r.params, json!({}), "missing params means {{}}");

    // Everything after the first dot is the method segment, so a second dot fails the method rule.
    assert_eq!(
        reason(json!({"jsonrpc": "2.0", "method": "svc.a.b"})),
        "-32600 Invalid Request: invalid method segment"
    );
}

#[test]
fn method_shape_and_segments() {
    let shape = "-32600 Invalid Request: method must be \"<service>.<method>\"";
    for m in ["svc", ".m", "svc.", ".", ""] {
        assert_eq!(
            reason(json!({"jsonrpc": "2.0", "method": m})),
            shape,
            "{m:?}"
        );
    }
    for m in ["Svc.m", "1svc.m", "s_v.m", "sv c.m"] {
        assert_eq!(
            reason(json!({"jsonrpc": "2.0", "method": m})),
            "-32600 Invalid Request: invalid service segment",
            "{m:?}"
        );
    }
    for m in ["svc.M", "svc.do-it", "svc.1a", "svc.a_b"] {
        assert_eq!(
            reason(json!({"jsonrpc": "2.0", "method": m})),
            "-32600 Invalid Request: invalid method segment",
            "{m:?}"
        );
    }
}

#[test]
fn id_types() {
    let ok = |id: Value| parse_envelope(json!({"jsonrpc": "2.0", "method": "a.b", "id": id}));
    assert!(
        matches!(ok(json!("abc")).unwrap(), Envelope::Request(r) if r.id == Id::String("abc".into()))
    );
    assert!(matches!(ok(json!(7)).unwrap(), Envelope::Request(r) if r.id.to_string() == "7"));
    for bad in [json!(true), json!(false), json!({}), json!([1])] {
        assert_eq!(
            ok(bad.clone()).unwrap_err().to_string(),
            "-32600 Invalid Request: id must be string or number",
            "{bad}"
        );
    }
    // A null id and a missing id both make a notification.
    assert!(matches!(
        ok(Value::Null).unwrap(),
        Envelope::Notification(_)
    ));
    let n = parse_envelope(json!({"jsonrpc": "2.0", "method": "a.b", "params": [1]})).unwrap();
    assert!(matches!(n, Envelope::Notification(n) if n.params == json!([1])));
}

#[test]
fn responses() {
    let ok = parse_envelope(json!({"jsonrpc": "2.0", "id": "x", "result": null})).unwrap();
    assert!(matches!(ok, Envelope::Success(s) if s.result.is_null()));
    assert_eq!(
        reason(json!({"jsonrpc": "2.0", "result": 1})),
        "-32600 Invalid Request: response must have id"
    );
    assert_eq!(
        reason(json!({"jsonrpc": "2.0", "id": null, "result": 1})),
        "-32600 Invalid Request: response must have id"
    );

    let err =
        parse_envelope(json!({"jsonrpc": "2.0", "error": {"code": -1, "message": "m"}})).unwrap();
    let Envelope::Error(e) = err else { panic!() };
    assert_eq!(e.id, None);
    assert_eq!(
        e.error,
        RpcError::new(-1, "m"),
        "missing data reads as null"
    );

    let shape = "-32600 Invalid Request: error must have numeric code + string message";
    for bad in [
        json!("boom"),
        json!({"code": "1", "message": "m"}),
        json!({"code": 1.5, "message": "m"}),
        json!({"code": 1}),
        json!({"code": 1, "message": 2}),
    ] {
        assert_eq!(
            reason(json!({"jsonrpc": "2.0", "id": 1, "error": bad})),
            shape
        );
    }

    let neither = "-32600 Invalid Request: envelope must be request, notification, or response";
    assert_eq!(reason(json!({"jsonrpc": "2.0", "id": 1})), neither);
    assert_eq!(
        reason(
            json!({"jsonrpc": "2.0", "id": 1, "result": 1, "error": {"code": 1, "message": "m"}})
        ),
        neither
    );
    // A non-string method is not a request; with nothing else it is no envelope at all.
    assert_eq!(
        reason(json!({"jsonrpc": "2.0", "method": 5, "id": 1})),
        neither
    );
}

#[test]
fn built_envelopes_have_wire_key_order() {
    let req = Envelope::Request(clamator_protocol::envelope::Request {
        id: Id::String("i".into()),
        service: "arith".into(),
        method: "add".into(),
        params: json!({"b": 1, "a": 2}),
    });
    assert_eq!(
        serde_json::to_string(&req).unwrap(),
        r#"{"jsonrpc":"2.0","method":"arith.add","params":{"b":1,"a":2},"id":"i"}"#
    );
    assert_eq!(
        success_response(Id::String("i".into()), json!(3)).to_string(),
        r#"{"jsonrpc":"2.0","id":"i","result":3}"#
    );
    assert_eq!(
        error_response(None, RpcError::method_not_found()).to_string(),
        r#"{"jsonrpc":"2.0","id":null,"error":{"code":-32601,"message":"Method not found","data":null}}"#
    );
}

#[test]
fn built_envelopes_parse_back() {
    let req = json!({"jsonrpc": "2.0", "method": "a.b", "params": {"x": 1}, "id": 9});
    let parsed = parse_envelope(req.clone()).unwrap();
    assert_eq!(parsed.to_value(), req);
}

#[test]
fn reasons_are_exposed_without_prefix() {
    assert_eq!(
        InvalidEnvelope::BATCH.reason(),
        "batch requests not supported"
    );
}

#[test]
fn generated_ids_are_lowercase_uuid_v4() {
    let Id::String(id) = Id::new_v4() else {
        panic!()
    };
    assert_eq!(id.len(), 36);
    assert_eq!(&id[14..15], "4");
    assert!(
        id.chars()
            .all(|c| c == '-' || c.is_ascii_digit() || c.is_ascii_lowercase())
    );
}
