//! The few FHIR R4 (4.0.1) resources and data types the export writes, as plain serde
//! structs: only the elements it fills, named as the JSON format names them
//! (<http://hl7.org/fhir/R4/json.html>). An element left `None` or empty is left out of
//! the JSON, as FHIR requires (no `null`, no empty array). Serialize only: nothing here
//! reads FHIR.

use serde::Serialize;

/// A `Bundle` of type `collection`: <http://hl7.org/fhir/R4/bundle.html>.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "resourceType", rename = "Bundle")]
pub struct Bundle {
    pub id: String,
    /// A business identifier of the bundle: the log's seal (`urn:sha256:` and its hash).
    pub identifier: Identifier,
    /// `collection` (see docs/fhir-export.md for why).
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// When the bundle was assembled: the log's seal time, so one log gives one bundle.
    pub timestamp: String,
    pub entry: Vec<Entry>,
}

/// One resource of the bundle, with its `urn:uuid:` full URL.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub full_url: String,
    pub resource: Resource,
}

/// The resources the export writes; serialized with their `resourceType`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "resourceType")]
pub enum Resource {
    Patient(Patient),
    Encounter(Encounter),
    MedicationAdministration(MedicationAdministration),
    Observation(Observation),
}

impl Resource {
    /// The resource's `id`.
    pub fn id(&self) -> &str {
        match self {
            Resource::Patient(r) => &r.id,
            Resource::Encounter(r) => &r.id,
            Resource::MedicationAdministration(r) => &r.id,
            Resource::Observation(r) => &r.id,
        }
    }
}

/// `Patient`, known by its identifier only (the log holds no name):
/// <http://hl7.org/fhir/R4/patient.html>.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Patient {
    pub id: String,
    pub identifier: Vec<Identifier>,
}

/// `Encounter`: the session at the chair, <http://hl7.org/fhir/R4/encounter.html>.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Encounter {
    pub id: String,
    /// `finished` (the session was closed) or `unknown` (a recovered log of a session
    /// never closed).
    pub status: &'static str,
    /// `AMB` (ambulatory) of HL7 v3 ActCode: a chair visit, not an admission.
    pub class: Coding,
    #[serde(rename = "type", skip_serializing_if = "Vec::is_empty")]
    pub kind: Vec<CodeableConcept>,
    pub subject: Reference,
    pub period: Period,
}

/// `MedicationAdministration`: one period of the infusion at one rate,
/// <http://hl7.org/fhir/R4/medicationadministration.html>.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MedicationAdministration {
    pub id: String,
    /// `completed` (the period ended), `in-progress` (still running when the log was
    /// sealed, the session open) or `unknown` (never ended in a closed session).
    pub status: &'static str,
    pub medication_codeable_concept: CodeableConcept,
    pub subject: Reference,
    /// The encounter (R4 names it `context`; R5 renamed it `encounter`).
    pub context: Reference,
    pub effective_period: Period,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub performer: Vec<Performer>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub note: Vec<Annotation>,
    pub dosage: Dosage,
}

/// Who performed an administration (`actor` by display: the log names a person's
/// identifier, not a resource).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Performer {
    pub actor: Reference,
}

/// `MedicationAdministration.dosage`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Dosage {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub route: CodeableConcept,
    /// The rate of this period, UCUM `mg/kg/h`; none when the log gave no rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_quantity: Option<Quantity>,
}

/// `Observation`: a vital sign (<http://hl7.org/fhir/R4/observation-vitalsigns.html>)
/// or a scored assessment (category `survey`), <http://hl7.org/fhir/R4/observation.html>.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Observation {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub identifier: Vec<Identifier>,
    /// `final`, `amended` or `entered-in-error`, from the log's `status`.
    pub status: &'static str,
    pub category: Vec<CodeableConcept>,
    pub code: CodeableConcept,
    pub subject: Reference,
    pub encounter: Reference,
    /// When measured, with its UTC offset exactly as the log has it.
    pub effective_date_time: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub performer: Vec<Reference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_quantity: Option<Quantity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_integer: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_absent_reason: Option<CodeableConcept>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub note: Vec<Annotation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<CodeableConcept>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device: Option<Reference>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub component: Vec<Component>,
}

/// `Observation.component`: the systolic or diastolic of a blood-pressure panel.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Component {
    pub code: CodeableConcept,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_quantity: Option<Quantity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_absent_reason: Option<CodeableConcept>,
}

/// `Meta`: the profiles a resource claims.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Meta {
    pub profile: Vec<String>,
}

/// `Coding`: a code in a code system.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Coding {
    pub system: &'static str,
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

/// `CodeableConcept`: codings and, or only, a text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CodeableConcept {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub coding: Vec<Coding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl CodeableConcept {
    /// A concept said in words only.
    pub fn text(text: impl Into<String>) -> CodeableConcept {
        CodeableConcept {
            coding: Vec::new(),
            text: Some(text.into()),
        }
    }
}

/// `Quantity` in UCUM (`http://unitsofmeasure.org`): the value, the unit as people
/// write it, and its UCUM code.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Quantity {
    /// Written as the log writes it: `126`, not `126.0` (a FHIR decimal's digits are its
    /// precision), `96.5` as it is.
    #[serde(serialize_with = "decimal")]
    pub value: f64,
    pub unit: &'static str,
    pub system: &'static str,
    pub code: &'static str,
}

/// `Reference`: to a resource of the bundle (`urn:uuid:`), or a display only.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reference {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

impl Reference {
    /// A reference to a resource by its full URL.
    pub fn to(full_url: &str) -> Reference {
        Reference {
            reference: Some(full_url.to_string()),
            display: None,
        }
    }

    /// A reference by name only (a person's identifier, a device's).
    pub fn display(text: impl Into<String>) -> Reference {
        Reference {
            reference: None,
            display: Some(text.into()),
        }
    }
}

/// `Period`: a start and an end, each with its offset.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Period {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
}

/// `Identifier`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Identifier {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    pub value: String,
}

/// `Annotation`: a note, with who wrote it and when where the log says.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Annotation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_string: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    pub text: String,
}

/// A decimal with the digits the log gives it: a whole number without `.0`.
fn decimal<S: serde::Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    // Exactly representable whole numbers only (below 2^53); anything else as it is.
    if value.fract() == 0.0 && value.abs() < 9_007_199_254_740_992.0 {
        serializer.serialize_i64(*value as i64)
    } else {
        serializer.serialize_f64(*value)
    }
}
