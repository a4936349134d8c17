#pragma once
// An arrival process: the gaps between queries' arrivals in virtual time. Processes draw at unit
// mean rate and scale by their mean rate, so two runs with the same seed at different rates see the
// same random numbers (common random numbers: capacity searches stay monotone).
namespace recsim {

class ArrivalProcess {
 public:
  virtual ~ArrivalProcess() = default;
  // Seconds from the previous arrival to the next one.
  virtual double next_gap() = 0;
};

}  // namespace recsim
