//! Who sells a GPU-hour and on what terms, as rent files spell them: the provider class read
//! from the provider's name (hyperscaler or neocloud) and the price basis (on-demand, spot,
//! reserved, marketplace median, contract index) with the other names files give it.

use serde::{Deserialize, Serialize};

/// Who sells the hour. Hyperscaler list prices sit about 2× above neocloud lists for the same
/// chip and month (data/README.md); the fit carries the class as an effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProviderClass {
    Hyperscaler,
    Neocloud,
}

/// The first word of a hyperscaler's name, as [`words`] spells it: the shipped panel's
/// hyperscalers (AWS, GCP, Azure, Oracle Cloud, Alibaba Cloud, Baidu Cloud) and IBM Cloud under
/// the names other files give them (`Amazon EC2`, `Google Compute Engine`, `Microsoft Azure`,
/// `Oracle OCI`, `Aliyun`, `IBM`); every other provider is a neocloud, marketplace or index
/// publisher.
const HYPERSCALER_FIRST_WORDS: [&str; 14] = [
    "aws",
    "amazon",
    "ec2",
    "gcp",
    "gce",
    "google",
    "azure",
    "microsoft",
    "oracle",
    "oci",
    "alibaba",
    "aliyun",
    "baidu",
    "ibm",
];

/// Words that name a hyperscaler wherever they stand in a provider's name (`Amazon AWS`,
/// `AWS EC2`, `AWS us-east-1`).
const HYPERSCALER_WORDS: [&str; 4] = ["aws", "ec2", "gcp", "azure"];

/// A provider's name in lower-case words, split at every character that is not a letter or a
/// digit and where a lower-case letter meets a capital, a trailing "(…)" dropped: `Amazon Web
/// Services (AWS)` → `amazon web services`, `GoogleCloud` → `google cloud`. A domain name is read
/// from its registered name inwards, its top-level domain dropped: `cloud.google.com` →
/// `google cloud`, `Vast.ai` → `vast`.
fn words(provider: &str) -> Vec<String> {
    let name = provider.split('(').next().unwrap_or(provider).trim();
    let mut spaced = String::with_capacity(name.len() + 8);
    let mut prev_lower = false;
    for c in name.chars() {
        if prev_lower && c.is_uppercase() {
            spaced.push(' ');
        }
        prev_lower = c.is_lowercase();
        spaced.push(c);
    }
    let lower = spaced.to_lowercase();
    let labels: Vec<&str> = lower.split('.').collect();
    let is_domain = labels.len() > 1
        && !lower.contains(char::is_whitespace)
        && labels.iter().all(|l| !l.is_empty());
    let text = if is_domain {
        labels[..labels.len() - 1]
            .iter()
            .rev()
            .filter(|l| **l != "www")
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        lower
    };
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

impl ProviderClass {
    pub fn of_provider(provider: &str) -> Self {
        let words = words(provider);
        let first = words.first().map(String::as_str);
        if first.is_some_and(|w| HYPERSCALER_FIRST_WORDS.contains(&w))
            || words
                .iter()
                .any(|w| HYPERSCALER_WORDS.contains(&w.as_str()))
        {
            Self::Hyperscaler
        } else {
            Self::Neocloud
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Self::Hyperscaler => "hyperscaler",
            Self::Neocloud => "neocloud",
        }
    }
}

/// What kind of price a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    OnDemand,
    Spot,
    #[serde(rename = "reserved-1y")]
    Reserved1y,
    #[serde(rename = "reserved-3y")]
    Reserved3y,
    MarketplaceMedian,
    ContractIndex,
}

impl Basis {
    pub const ALL: [Basis; 6] = [
        Self::OnDemand,
        Self::Spot,
        Self::Reserved1y,
        Self::Reserved3y,
        Self::MarketplaceMedian,
        Self::ContractIndex,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Self::OnDemand => "on-demand",
            Self::Spot => "spot",
            Self::Reserved1y => "reserved-1y",
            Self::Reserved3y => "reserved-3y",
            Self::MarketplaceMedian => "marketplace-median",
            Self::ContractIndex => "contract-index",
        }
    }

    /// How hours are sold on this basis, in words ("on 1-year contracts").
    pub fn sold(self) -> &'static str {
        match self {
            Self::OnDemand => "on demand",
            Self::Spot => "as spot",
            Self::Reserved1y => "on 1-year contracts",
            Self::Reserved3y => "on 3-year contracts",
            Self::MarketplaceMedian => "at the marketplace median",
            Self::ContractIndex => "at the contract index",
        }
    }

    /// A basis as files and flags spell it: its id in any case, with spaces, underscores or
    /// nothing for the hyphens (`On Demand`, `reserved_1y`, `OnDemand`), or a common other name
    /// ([`BASIS_ALIASES`]: `1yr`, `1-year reserved`, `preemptible`, `spot/interruptible`). A
    /// reservation without its term (`reserved`) is none: its rate depends on it.
    pub fn parse(text: &str) -> Option<Self> {
        let key: String = text
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        let of_id = |b: &Basis| b.id().replace('-', "") == key;
        Self::ALL.into_iter().find(of_id).or_else(|| {
            BASIS_ALIASES
                .iter()
                .find(|(names, _)| names.contains(&key.as_str()))
                .map(|(_, b)| *b)
        })
    }
}

/// Other names of the bases, as [`Basis::parse`] reduces them (lower case, letters and digits
/// only).
const BASIS_ALIASES: [(&[&str], Basis); 6] = [
    (&["payg", "payasyougo", "ondemandhourly"], Basis::OnDemand),
    (
        &[
            "interruptible",
            "preemptible",
            "spotinterruptible",
            "spotpreemptible",
        ],
        Basis::Spot,
    ),
    (
        &[
            "1y",
            "1yr",
            "1year",
            "1yearreserved",
            "1yrreserved",
            "1yreserved",
            "reserved1year",
            "reserved1yr",
            "1yearcommit",
            "1yearcontract",
        ],
        Basis::Reserved1y,
    ),
    (
        &[
            "3y",
            "3yr",
            "3year",
            "3yearreserved",
            "3yrreserved",
            "3yreserved",
            "reserved3year",
            "reserved3yr",
            "3yearcommit",
            "3yearcontract",
        ],
        Basis::Reserved3y,
    ),
    (
        &["marketplace", "marketplacemedianprice"],
        Basis::MarketplaceMedian,
    ),
    (&["index", "contractpriceindex"], Basis::ContractIndex),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyperscalers_are_known_under_the_names_files_give_them() {
        for name in [
            "AWS",
            "Amazon Web Services (AWS)",
            "Google Cloud Platform",
            "google-cloud",
            " Microsoft  Azure ",
            "Oracle Cloud Infrastructure",
            "OCI",
            "AWS EC2",
            "Amazon AWS",
            "AWS us-east-1",
            "EC2",
            "AWS-EC2",
            "Google Compute Engine",
            "GCE",
            "Google Cloud TPU",
            "Azure ND",
            "Oracle OCI",
            "IBM",
            "Alibaba Cloud",
            "GoogleCloud",
            "cloud.google.com",
            "aws.amazon.com",
            "www.oracle.com",
            "MicrosoftAzure",
        ] {
            assert_eq!(
                ProviderClass::of_provider(name),
                ProviderClass::Hyperscaler,
                "{name}"
            );
        }
        for name in [
            "Lambda",
            "CoreWeave",
            "RunPod",
            "Vast.ai",
            "Amazonia GPU",
            "Lambda Labs",
            "Nebius AI Cloud",
            "Together AI",
            "Crusoe Cloud",
            "lambdalabs.com",
            "www.runpod.io",
            "CoreWeave",
            "",
        ] {
            assert_eq!(
                ProviderClass::of_provider(name),
                ProviderClass::Neocloud,
                "{name}"
            );
        }
    }

    #[test]
    fn a_basis_is_read_in_any_case_and_with_spaces_or_underscores() {
        for (text, basis) in [
            ("on-demand", Basis::OnDemand),
            (" On-Demand ", Basis::OnDemand),
            ("on demand", Basis::OnDemand),
            ("Reserved_1y", Basis::Reserved1y),
            ("MARKETPLACE MEDIAN", Basis::MarketplaceMedian),
            ("OnDemand", Basis::OnDemand),
            ("ondemand", Basis::OnDemand),
            ("1yr", Basis::Reserved1y),
            ("1-year reserved", Basis::Reserved1y),
            ("Reserved 3yr", Basis::Reserved3y),
            ("spot/interruptible", Basis::Spot),
            ("preemptible", Basis::Spot),
        ] {
            assert_eq!(Basis::parse(text), Some(basis), "{text}");
        }
        // A reservation without its term, or no basis, is none.
        for bad in ["reserved", "", "monthly", "2y"] {
            assert_eq!(Basis::parse(bad), None, "{bad}");
        }
    }
}
