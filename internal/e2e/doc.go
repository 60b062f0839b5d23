// Package e2e holds the browser tests: the real application, loaded with the
// Ningjin demo scenario, driven through headless Chromium the way its users
// drive it — on a phone-width screen and on a desktop, in Chinese and English.
//
// Set FANGKONG_SCREENSHOTS=DIR to keep a PNG of every page the journeys visit.
package e2e
