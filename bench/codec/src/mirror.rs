//! The reference for the codec rows: `serde` derive on structs with the
//! same field types as the generated ones (strings, optional strings,
//! timestamps, enums with an unknown-value fallback, a list), read and
//! written with `serde_json`. Only in this program: the generated client
//! keeps the runtime's codec.

use serde::{Deserialize, Deserializer, Serialize};

/// A timestamp as epoch seconds and nanoseconds, read from a JSON number
/// (awsJson's default timestamp format), as `aws_json_runtime::DateTime`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timestamp {
    pub secs: i64,
    pub nanos: u32,
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = f64::deserialize(d)?;
        if !v.is_finite() {
            return Err(serde::de::Error::custom("timestamp out of range"));
        }
        let secs = v.floor();
        Ok(Timestamp {
            secs: secs as i64,
            nanos: ((v - secs) * 1e9).round() as u32,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DeploymentStatus {
    InProgress,
    Failed,
    Succeeded,
    DeleteInProgress,
    DeleteFailed,
    DeleteComplete,
    Cancelling,
    Cancelled,
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ServiceStatus {
    CreateInProgress,
    CreateFailedCleanupInProgress,
    CreateFailedCleanupComplete,
    CreateFailedCleanupFailed,
    CreateFailed,
    Active,
    DeleteInProgress,
    DeleteFailed,
    UpdateInProgress,
    UpdateFailedCleanupInProgress,
    UpdateFailedCleanupComplete,
    UpdateFailedCleanupFailed,
    UpdateFailed,
    UpdateCompleteCleanupFailed,
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceInstanceSummary {
    pub name: String,
    pub arn: String,
    pub created_at: Timestamp,
    pub last_deployment_attempted_at: Timestamp,
    pub last_deployment_succeeded_at: Timestamp,
    pub service_name: String,
    pub environment_name: String,
    pub template_name: String,
    pub template_major_version: String,
    pub template_minor_version: String,
    pub deployment_status: DeploymentStatus,
    pub deployment_status_message: Option<String>,
    pub last_attempted_deployment_id: Option<String>,
    pub last_succeeded_deployment_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListServiceInstancesOutput {
    pub next_token: Option<String>,
    pub service_instances: Vec<ServiceInstanceSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ListServiceInstancesFilterBy {
    #[serde(rename = "environmentName")]
    EnvironmentName,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListServiceInstancesFilter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<ListServiceInstancesFilterBy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListServiceInstancesInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filters: Option<Vec<ListServiceInstancesFilter>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    pub name: String,
    pub description: Option<String>,
    pub arn: String,
    pub template_name: String,
    pub created_at: Timestamp,
    pub last_modified_at: Timestamp,
    pub status: ServiceStatus,
    pub status_message: Option<String>,
    pub spec: String,
    pub repository_connection_arn: Option<String>,
    pub repository_id: Option<String>,
    pub branch_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetServiceOutput {
    pub service: Option<Service>,
}
