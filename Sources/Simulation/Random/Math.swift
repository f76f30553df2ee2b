#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// libm entry points under private names, so that hot loops call the C library directly.
@usableFromInline @inline(__always) func _log(_ x: Double) -> Double { log(x) }
@usableFromInline @inline(__always) func _cos(_ x: Double) -> Double { cos(x) }
@usableFromInline @inline(__always) func _sin(_ x: Double) -> Double { sin(x) }
@usableFromInline @inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { pow(x, y) }

#if canImport(Glibc)
/// glibc's sincos (a GNU extension the Glibc module does not export): one call for both,
/// as a C compiler emits for adjacent sin and cos; the results equal sin and cos.
@_silgen_name("sincos")
@usableFromInline func _glibcSincos(_ x: Double, _ sine: UnsafeMutablePointer<Double>, _ cosine: UnsafeMutablePointer<Double>)

@usableFromInline @inline(__always) func _sincos(_ x: Double) -> (sin: Double, cos: Double) {
    var s = 0.0, c = 0.0
    _glibcSincos(x, &s, &c)
    return (s, c)
}
#else
@usableFromInline @inline(__always) func _sincos(_ x: Double) -> (sin: Double, cos: Double) { (sin(x), cos(x)) }
#endif

