//! Parsing the benches' `RESULT` lines.

/// One `RESULT <name> key=value ...` line of a bench's output: the figure's
/// name and its fields, in their order (values never contain whitespace).
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// `overhead.<case>.<metric>`, `pacing.<workload>.summary`, ...
    pub name: String,
    /// The `key=value` words after the name.
    pub fields: Vec<(String, String)>,
}

impl Record {
    /// The value of `key`, when the line has it.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `key` as a number, when it is one.
    pub fn number(&self, key: &str) -> Option<f64> {
        self.text(key)?.parse().ok()
    }

    /// The value of `key` as a count, when it is one.
    pub fn count(&self, key: &str) -> Option<u64> {
        self.text(key)?.parse().ok()
    }
}

/// Every `RESULT` line of `output`: the first word `RESULT`, then a name
/// (without `=`), then `key=value` words; other words of such a line and
/// every other line are ignored.
pub fn parse_records(output: &str) -> Vec<Record> {
    output
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            if words.next()? != "RESULT" {
                return None;
            }
            let name = words.next().filter(|n| !n.contains('='))?.to_string();
            let fields = words
                .filter_map(|w| w.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            Some(Record { name, fields })
        })
        .collect()
}

/// One `RESULT overhead.<case>.<metric> facade=x raw=y ratio=r unit=u` line
/// of `benches/overhead.rs`.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultLine {
    /// `overhead.<case>.<metric>`.
    pub name: String,
    /// The facade's figure.
    pub facade: f64,
    /// The hand-written call's figure.
    pub raw: f64,
    /// `facade / raw` (computed when the line lacks it).
    pub ratio: f64,
    /// `us`, `count`, `bytes`, or empty.
    pub unit: String,
}

/// Every `RESULT` line in `output` with numbers for `facade` and `raw`.
pub fn parse_result_lines(output: &str) -> Vec<ResultLine> {
    parse_records(output)
        .into_iter()
        .filter_map(|r| {
            let (facade, raw) = (r.number("facade")?, r.number("raw")?);
            Some(ResultLine {
                ratio: r.number("ratio").unwrap_or(facade / raw),
                unit: r.text("unit").unwrap_or_default().to_string(),
                name: r.name,
                facade,
                raw,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_lines_are_parsed_tolerantly() {
        let out = "## auth_status: POST ...\n\
                   metric facade raw ratio\n\
                   RESULT overhead.auth_status.median_us facade=41.200 raw=40.000 ratio=1.0300 unit=us\n\
                   RESULT overhead.positions.allocs_per_call raw=10 facade=20 extra=yes\n\
                   RESULT broken facade=x raw=1\n\
                   NOT A RESULT overhead.x facade=1 raw=1\n";
        let r = parse_result_lines(out);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].name, "overhead.auth_status.median_us");
        assert_eq!((r[0].facade, r[0].raw, r[0].ratio), (41.2, 40.0, 1.03));
        assert_eq!(r[0].unit, "us");
        // A missing ratio is computed.
        assert_eq!(r[1].ratio, 2.0);
    }

    #[test]
    fn records_keep_their_fields_in_order() {
        let out = "text RESULT not.first x=1\n\
                   \tRESULT pacing.a.summary b=2 loose a=1 =3 c=\n\
                   RESULT x=1 y=2\n\
                   RESULT\n";
        let r = parse_records(out);
        assert_eq!(r.len(), 1, "{r:#?}");
        assert_eq!(r[0].name, "pacing.a.summary");
        let keys: Vec<&str> = r[0].fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "a", "", "c"]);
        assert_eq!((r[0].number("b"), r[0].count("a")), (Some(2.0), Some(1)));
        assert_eq!((r[0].text("c"), r[0].number("c")), (Some(""), None));
        assert_eq!(r[0].text("loose"), None);
    }
}
