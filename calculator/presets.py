"""Ready-made answer sets for the assessment: the seed's worked example and two archetypes.

Each preset is an :class:`calculator.risk.Answers` built from the seed's figures; values
the seed does not give are marked "assumption" in :data:`PRESET_NOTES`.
"""

from __future__ import annotations

from calculator.risk import Answers

PRESETS: dict[str, Answers] = {
    "Seed 001 §6 recommendation system": Answers.model_validate(
        {
            "scenario_name": "Seed 001 §6 recommendation system",
            "workload": {"monthly_active_users": 100_000, "requests_per_day": 1_000_000},
            "current_monthly_cost_usd": {
                "inference": 12_000,
                "storage": 3_000,
                "training": 6_000,
                "operations": 4_000,
            },
            "growth": {
                "users_multiple": 10,
                "data_multiple": 5,
                "models_multiple": 5,
                "horizon_months": 12,
            },
            "inference": {
                "architecture": "stateless_cached",
                "cache_hit_rate": 0.3,
                "context_tokens": 512,
                "model_params": 1e8,
                "gpu_utilization": 0.5,
            },
            "data": {
                "ingest_tb_per_month": 1.0,
                "retention": "tiered",
                "pipeline": "batch_partitioned",
                "monitoring_metrics": 50,
            },
            "models": {"in_production": 1, "retraining": "data_dependent", "deploys_per_month": 2},
            "team": {"ml_engineers": 2, "infra_engineers": 1, "loaded_cost_per_fte_usd": 180_000},
            "stage": "production",
        }
    ),
    "Linear-scaling archetype": Answers.model_validate(
        {
            "scenario_name": "Linear-scaling archetype",
            "workload": {"monthly_active_users": 50_000, "requests_per_day": 50_000},
            "current_monthly_cost_usd": {
                "inference": 18_000,
                "storage": 2_000,
                "training": 3_000,
                "operations": 2_000,
            },
            "growth": {
                "users_multiple": 8,
                "data_multiple": 8,
                "models_multiple": 1,
                "horizon_months": 18,
            },
            "inference": {
                "architecture": "stateless_cached",
                "cache_hit_rate": 0.67,
                "context_tokens": 512,
                "model_params": 66e6,
                "gpu_utilization": 0.7,
            },
            "data": {
                "ingest_tb_per_month": 5.0,
                "retention": "tiered_sampling",
                "pipeline": "managed_streaming",
                "monitoring_metrics": 50,
            },
            "models": {"in_production": 2, "retraining": "static", "deploys_per_month": 1},
            "team": {"ml_engineers": 2, "infra_engineers": 1, "loaded_cost_per_fte_usd": 180_000},
            "stage": "design",
        }
    ),
    "Exponential archetype": Answers.model_validate(
        {
            "scenario_name": "Exponential archetype",
            "workload": {"monthly_active_users": 10_000, "requests_per_day": 10_000},
            "current_monthly_cost_usd": {
                "inference": 8_000,
                "storage": 1_000,
                "training": 2_000,
                "operations": 1_000,
            },
            "growth": {
                "users_multiple": 10,
                "data_multiple": 10,
                "models_multiple": 2.5,
                "horizon_months": 12,
            },
            "inference": {
                "architecture": "large_context",
                "cache_hit_rate": 0.0,
                "context_tokens": 8_000,
                "model_params": 70e9,
                "gpu_utilization": 0.18,
            },
            "data": {
                "ingest_tb_per_month": 5.0,
                "retention": "none",
                "pipeline": "self_hosted_streaming",
                "monitoring_metrics": 500,
            },
            "models": {
                "in_production": 20,
                "retraining": "active_learning",
                "deploys_per_month": 20,
            },
            "team": {"ml_engineers": 3, "infra_engineers": 1, "loaded_cost_per_fte_usd": 180_000},
            "stage": "production",
        }
    ),
}
"""Presets by display name."""

PRESET_NOTES: dict[str, str] = {
    "Seed 001 §6 recommendation system": (
        "Seed 001 §6: 100K users, $25K/month ($12K inference, $3K storage, $6K training, $4K "
        "operations), "
        "growing to 10× users, 5× data and 5× models in 12 months, 30% caching, lifecycle policy. "
        "Workload, "
        "model, team and utilization figures are not in the seed (assumptions)."
    ),
    "Linear-scaling archetype": (
        "Every linear-scaling pattern of seed 001 §3 at design stage: cached stateless API at "
        "§3.1's 67% hit "
        "rate, DistilBERT-sized model (§3.2), 70% GPU utilization (§4.2), tiered retention with "
        "sampling "
        "(§3.6), managed streaming (§2.2), static retraining (§2.3). Figures are illustrative."
    ),
    "Exponential archetype": (
        "Seed 001's exponential patterns on every axis in production: 8,000-token context windows "
        "(§2.1), "
        "no cache, 18% GPU utilization (§4.2), no lifecycle (§3.6), self-hosted Kafka (§2.2), "
        "active-learning "
        "retraining (§2.3), 20 → 50 models (§2.5), 50 → 500 metrics (§2.4). Figures are "
        "illustrative; "
        "§1's $8,000/month for 10,000 users is the starting bill."
    ),
}
"""Where each preset's figures come from."""
