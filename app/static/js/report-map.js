/* The report form's map (issue 14): a pin for the place of the incident.
 *
 * Progressive only. The page loads this file (and Leaflet, vendored in
 * static/vendor/leaflet-1.9.4) only when MAP_TILE_URL is configured; the map box stays hidden
 * until this script shows it. Without JavaScript or without a tile server the latitude and
 * longitude fields below it are typed by hand and the form works as before.
 *
 * CSP-clean: no inline script, no eval, no inline style attribute in the markup (Leaflet
 * positions its panes through element.style, which a style-src policy does not govern).
 * The map only writes into the visible, labelled #latitude and #longitude fields (5
 * decimals, about 1 m; the server rounds again); typing in them moves the pin.
 */
(function () {
  "use strict";

  var DECIMALS = 5;
  var INDONESIA = [-2.5, 118]; // the whole archipelago at zoom 4-5
  var NUMBER = /^[+-]?[0-9]{1,3}(?:[.,][0-9]{1,15})?$/;

  function read(input) {
    var text = (input.value || "").trim();
    return NUMBER.test(text) ? parseFloat(text.replace(",", ".")) : null;
  }

  function init() {
    var box = document.getElementById("incident-map");
    var lat = document.getElementById("latitude");
    var lng = document.getElementById("longitude");
    if (!box || !lat || !lng || !window.L || !box.getAttribute("data-tile-url")) {
      return;
    }
    box.hidden = false;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", box.getAttribute("data-label") || "");

    var start = [read(lat), read(lng)];
    var given = start[0] !== null && start[1] !== null;
    var map = window.L.map(box, {center: given ? start : INDONESIA, zoom: given ? 16 : 4});
    window.L.tileLayer(box.getAttribute("data-tile-url"), {
      attribution: box.getAttribute("data-attribution") || "",
      maxZoom: 19
    }).addTo(map);

    var marker = null;
    function write(point) {
      lat.value = point.lat.toFixed(DECIMALS);
      lng.value = point.lng.toFixed(DECIMALS);
    }
    function place(point, centre) {
      if (marker === null) {
        marker = window.L.marker(point, {draggable: true, keyboard: true,
                                         alt: box.getAttribute("data-label") || ""}).addTo(map);
        marker.on("dragend", function () { write(marker.getLatLng()); });
      } else {
        marker.setLatLng(point);
      }
      if (centre) {
        map.setView(point, Math.max(map.getZoom(), 16));
      }
    }
    if (given) {
      place(start, false);
    }
    map.on("click", function (event) {
      place(event.latlng, false);
      write(event.latlng);
    });
    function typed() {
      var a = read(lat);
      var b = read(lng);
      if (a !== null && b !== null) {
        place([a, b], true);
      }
    }
    lat.addEventListener("change", typed);
    lng.addEventListener("change", typed);

    // "Use my location": only where the browser can tell, and only when asked.
    var locate = document.getElementById("locate-me");
    if (locate && navigator.geolocation) {
      locate.hidden = false;
      var hint = document.getElementById("locate-me-hint");
      if (hint) { hint.hidden = false; }
      locate.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (position) {
          var point = window.L.latLng(position.coords.latitude, position.coords.longitude);
          place(point, true);
          write(point);
        }, function () { /* refused or unknown: the fields stay as they were */ },
        {enableHighAccuracy: true, timeout: 10000, maximumAge: 60000});
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
