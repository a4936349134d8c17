#pragma once
// Service-time models: how long one core takes to serve one request of `items` items.
//   exponential   — i.i.d. exponential times with a given mean, whatever the batch (queueing checks)
//   deterministic — a constant time per request, whatever the batch
//   table         — a latency-vs-batch LatencyCurve (kernels/profiles), deterministic per batch size;
//                   calibrated model profiles plug in here.
#include "kernels/profiles/latency_curve.h"
#include "sim/scenario/scenario.h"
#include "workloads/random_stream.h"

#include <memory>

namespace recsim {

class ServiceTimeModel {
 public:
  virtual ~ServiceTimeModel() = default;
  // One draw of the service time, in seconds, of a request of `items` items.
  virtual double sample_seconds(int items, Rng& rng) const = 0;
  // The mean service time, in seconds, of a request of `items` items.
  virtual double mean_seconds(int items) const = 0;
};

std::unique_ptr<ServiceTimeModel> make_exponential_service(double mean_seconds);
std::unique_ptr<ServiceTimeModel> make_deterministic_service(double seconds);
std::unique_ptr<ServiceTimeModel> make_table_service(LatencyCurve curve);
std::unique_ptr<ServiceTimeModel> make_service_model(const ServiceSpec& spec);

}  // namespace recsim
