//! Feeds arbitrary input to the parser in strict and lenient mode. Whatever it accepts must
//! validate without panicking and write back to a document that parses to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mycpaas_laml::{ParseOptions, parse};

fuzz_target!(|data: &[u8]| {
    let Ok(xml) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(doc) = parse(xml) {
        let _ = doc.validate();
        let again = parse(&doc.to_xml()).expect("strict output reparses");
        assert_eq!(again, doc);
    }
    let lenient = ParseOptions::default().lenient(true);
    if let Ok(doc) = lenient.parse(xml) {
        let _ = doc.validate();
        let again = lenient
            .parse(&doc.to_xml())
            .expect("lenient output reparses");
        assert_eq!(again, doc);
    }
});
