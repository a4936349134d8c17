// table: latency against batch size, linearly interpolated between points; below the first point
// the first latency, beyond the last the last segment's slope continues (flat with one point).
#include "sim/scenario/service_registry.h"
#include "sim/scheduling/scheduler_policy.h"
#include "sim/service/service_time_model.h"
#include "workloads/input_error.h"

namespace recsim {

ServiceSpec table_service_spec(const std::vector<std::pair<int, double>>& batch_ms) {
  std::vector<LatencyCurve::Point> points;
  for (const auto& [batch, ms] : batch_ms) points.push_back({batch, ms / 1000.0});
  ServiceSpec spec;
  spec.type = "table";
  spec.make = [curve = LatencyCurve(std::move(points))](const ServiceSpec&) { return make_table_service(curve); };
  return spec;
}

// The keys of one point.
const KeySection& table_point_keys() {
  static const KeySection section{
      "table_point",
      "one point of a table service",
      {{.type = KeyDecl::Type::integer, .name = "batch", .lo = 1, .hi = kMaxQuerySize, .unit = "items", .help = "the request's batch size"},
       {.name = "ms", .lo = 0.0, .hi = 1e9, .lo_open = true, .unit = "ms", .help = "its time"}}};
  return section;
}

ServiceKind table_service() {
  KeyVariant keys{
      "table",
      "latency vs batch size, linearly interpolated between points; below the first point the first latency, beyond the last the "
      "last segment's slope continues (flat with one point, never decreasing)",
      {{.type = KeyDecl::Type::array, .name = "points", .help = "the points, batches strictly increasing", .also = "at least one point",
        .section = "table_point", .items = "object"}},
      {}};
  return {keys,
          [](JsonReader& service, const KeyVariant&, const std::string&, ProfileCache&) {
            const KeySection& point = table_point_keys();
            const auto& points = service.array("points");
            const std::string points_path = service.child_path("points");
            if (points.empty()) throw InputError(points_path, "expected at least one {\"batch\", \"ms\"} point");
            std::vector<std::pair<int, double>> batch_ms;
            for (std::size_t i = 0; i < points.size(); ++i) {
              JsonReader p(points[i], points_path + "." + std::to_string(i));
              const int batch = static_cast<int>(read_integer(p, point.key("batch")));
              const double ms = read_number(p, point.key("ms"));
              p.finish();
              if (!batch_ms.empty() && batch <= batch_ms.back().first)
                throw InputError(p.child_path("batch"), "batch sizes must increase strictly from point to point");
              batch_ms.emplace_back(batch, ms);
            }
            return table_service_spec(batch_ms);
          }};
}

}  // namespace recsim
