#include "kernels/profiles/curve_fit.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>

namespace recsim {
namespace {

// A small dense matrix (the fit has one row per measured batch size, about 20). Boost's uBLAS, the
// packaged linear algebra at hand, does not compile as C++20 in Boost 1.74; a 20 x 20 inverse by
// Gauss-Jordan elimination is a few lines.
class Matrix {
 public:
  Matrix() = default;
  Matrix(std::size_t rows, std::size_t cols) : cols_(cols), v_(rows * cols, 0.0) {}
  static Matrix identity(std::size_t n) {
    Matrix m(n, n);
    for (std::size_t i = 0; i < n; ++i) m(i, i) = 1;
    return m;
  }
  std::size_t size() const { return cols_; }
  double& operator()(std::size_t i, std::size_t j) { return v_[i * cols_ + j]; }
  double operator()(std::size_t i, std::size_t j) const { return v_[i * cols_ + j]; }

 private:
  std::size_t cols_ = 0;
  std::vector<double> v_;
};

// A relative standard error below this is below what one timing can resolve.
constexpr double kMinRelSe = 0.002;

// The penalty matrix D'D: squared second divided differences of f over x, each weighted by half the
// span it covers (the integral of f''^2 on an uneven grid).
Matrix penalty(const std::vector<double>& x) {
  const std::size_t n = x.size();
  Matrix p(n, n);
  for (std::size_t i = 1; i + 1 < n; ++i) {
    const double h1 = x[i] - x[i - 1], h2 = x[i + 1] - x[i];
    const double scale = 2.0 / (h1 + h2) * std::sqrt((h1 + h2) / 2);
    const double c[3] = {scale / h1, -scale * (1 / h1 + 1 / h2), scale / h2};
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) p(i - 1 + a, i - 1 + b) += c[a] * c[b];
  }
  return p;
}

// Gauss-Jordan elimination with partial pivoting (the systems are symmetric positive definite).
Matrix inverse(Matrix a) {
  const std::size_t n = a.size();
  Matrix inv = Matrix::identity(n);
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t pivot = c;
    for (std::size_t r = c + 1; r < n; ++r)
      if (std::abs(a(r, c)) > std::abs(a(pivot, c))) pivot = r;
    if (!(std::abs(a(pivot, c)) > 0)) throw std::runtime_error("curve fit: singular system");
    for (std::size_t j = 0; j < n; ++j) {
      std::swap(a(c, j), a(pivot, j));
      std::swap(inv(c, j), inv(pivot, j));
    }
    const double d = a(c, c);
    for (std::size_t j = 0; j < n; ++j) {
      a(c, j) /= d;
      inv(c, j) /= d;
    }
    for (std::size_t r = 0; r < n; ++r) {
      if (r == c || a(r, c) == 0) continue;
      const double m = a(r, c);
      for (std::size_t j = 0; j < n; ++j) {
        a(r, j) -= m * a(c, j);
        inv(r, j) -= m * inv(c, j);
      }
    }
  }
  return inv;
}

struct Smooth {
  std::vector<double> f;  // fitted values
  Matrix hat;             // f = hat * y
  double cv = 0;          // weighted leave-one-out squared error
  double trace = 0;
};

Smooth smooth(const std::vector<double>& y, const std::vector<double>& w, const Matrix& pen, double lambda) {
  const std::size_t n = y.size();
  Matrix a(n, n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) a(i, j) = lambda * pen(i, j) + (i == j ? w[i] : 0.0);
  const Matrix inv = inverse(a);
  Smooth s;
  s.hat = Matrix(n, n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) s.hat(i, j) = inv(i, j) * w[j];
  s.f.assign(n, 0.0);
  double wsum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) s.f[i] += s.hat(i, j) * y[j];
    const double leave = (y[i] - s.f[i]) / std::max(1e-9, 1 - s.hat(i, i));
    s.cv += w[i] * leave * leave;
    wsum += w[i];
    s.trace += s.hat(i, i);
  }
  s.cv /= wsum;
  return s;
}

// tau^2 >= 0 with sum r_i^2 / (s_i^2 + tau^2) = dof (the residual degrees of freedom), 0 when the
// points' own errors already explain the residuals.
double between_point_variance(const std::vector<double>& r, const std::vector<double>& s2, double dof) {
  const auto chi2 = [&](double t2) {
    double c = 0;
    for (std::size_t i = 0; i < r.size(); ++i) c += r[i] * r[i] / (s2[i] + t2);
    return c;
  };
  if (dof <= 0 || chi2(0) <= dof) return 0;
  double lo = 0, hi = 1;
  while (chi2(hi) > dof) hi *= 4;
  for (int k = 0; k < 100; ++k) {
    const double mid = (lo + hi) / 2;
    (chi2(mid) > dof ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

// Weighted isotonic regression (pool adjacent violators): the closest non-decreasing sequence.
std::vector<double> non_decreasing(const std::vector<double>& f, const std::vector<double>& w) {
  struct Block {
    double value, weight;
    std::size_t count;
  };
  std::vector<Block> blocks;
  for (std::size_t i = 0; i < f.size(); ++i) {
    blocks.push_back({f[i], w[i], 1});
    while (blocks.size() > 1 && blocks[blocks.size() - 2].value > blocks.back().value) {
      const Block b = blocks.back();
      blocks.pop_back();
      Block& a = blocks.back();
      a.value = (a.value * a.weight + b.value * b.weight) / (a.weight + b.weight);
      a.weight += b.weight;
      a.count += b.count;
    }
  }
  std::vector<double> out;
  for (const auto& b : blocks) out.insert(out.end(), b.count, b.value);
  return out;
}

}  // namespace

namespace {

CurveFit compute_fit(const std::vector<FitInput>& in);

// Distinct curves kept (a profile has a few hundred; a fuzzer may make millions).
constexpr std::size_t kMaxMemoisedFits = 100'000;

}  // namespace

CurveFit fit_latency_curve(const std::vector<FitInput>& in) {
  // A pure function of its points, asked for the same curves again and again (every parse of a
  // scenario fits its profile's curves): computed once per process.
  std::string key;
  for (const auto& p : in) {
    key.append(reinterpret_cast<const char*>(&p.batch), sizeof p.batch);
    key.append(reinterpret_cast<const char*>(&p.median), sizeof p.median);
    key.append(reinterpret_cast<const char*>(&p.rel_se), sizeof p.rel_se);
    key.push_back(p.exact ? '1' : '0');
  }
  static std::mutex mutex;
  static std::map<std::string, CurveFit> fits;
  {
    std::lock_guard lock(mutex);
    if (const auto it = fits.find(key); it != fits.end()) return it->second;
  }
  CurveFit fit = compute_fit(in);
  std::lock_guard lock(mutex);
  if (fits.size() < kMaxMemoisedFits) fits.emplace(std::move(key), fit);
  return fit;
}

namespace {

CurveFit compute_fit(const std::vector<FitInput>& in) {
  if (in.empty()) throw std::invalid_argument("a latency curve needs at least one point");
  CurveFit fit;
  for (const auto& p : in) fit.points.push_back({p.batch, p.median, p.median, 0.0});
  const std::size_t n = in.size();
  const bool exact = std::any_of(in.begin(), in.end(), [](const FitInput& p) { return p.exact || !std::isfinite(p.rel_se); });
  if (n < 4 || exact) return fit;

  std::vector<double> x(n), y(n), s2(n);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = std::log(static_cast<double>(in[i].batch));
    y[i] = std::log(in[i].median);
    const double s = std::max(kMinRelSe, in[i].rel_se);
    s2[i] = s * s;
  }
  const Matrix pen = penalty(x);
  double pen_trace = 0;
  for (std::size_t i = 0; i < n; ++i) pen_trace += pen(i, i);

  double tau2 = 0;
  Smooth best;
  std::vector<double> w(n);
  for (int round = 0; round < 20; ++round) {
    double wtrace = 0;
    for (std::size_t i = 0; i < n; ++i) wtrace += w[i] = 1 / (s2[i] + tau2);
    // lambda on a log grid, relative to the two terms' scales.
    bool first = true;
    for (int k = -24; k <= 24; ++k) {
      const double lambda = std::pow(10.0, k / 4.0) * wtrace / pen_trace;
      Smooth s = smooth(y, w, pen, lambda);
      if (first || s.cv < best.cv) {
        best = std::move(s);
        fit.lambda = lambda;
        first = false;
      }
    }
    std::vector<double> r(n);
    for (std::size_t i = 0; i < n; ++i) r[i] = y[i] - best.f[i];
    const double next = between_point_variance(r, s2, static_cast<double>(n) - best.trace);
    const bool settled = std::abs(next - tau2) <= 1e-4 * std::max(next, 1e-6);
    tau2 = next;
    if (settled) break;
  }
  for (std::size_t i = 0; i < n; ++i) w[i] = 1 / (s2[i] + tau2);
  const std::vector<double> f = non_decreasing(best.f, w);
  for (std::size_t i = 0; i < n; ++i) {
    double var = 0;
    for (std::size_t j = 0; j < n; ++j) var += best.hat(i, j) * best.hat(i, j) / w[j];
    fit.points[i].fitted = std::exp(f[i]);
    fit.points[i].rel_se = std::sqrt(var);
  }
  fit.smoothed = true;
  fit.tau = std::sqrt(tau2);
  fit.dof = best.trace;
  return fit;
}

}  // namespace

}  // namespace recsim
