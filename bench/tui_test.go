package main

import (
	"strings"
	"testing"
)

// wizardScreen is the enable wizard's manual-key view as a vt10x screen
// showed it at 80x24, with the side pane to the right.
const wizardScreen = ` twofa  http://127.0.0.1:43889 · tui-0                 Enable 2FA · Step 2 of 5 
 Manual entry key                              Step 2 of 5                      
                                               Scan this QR code with your      
 34N7 JOEY 4D5R I4D6                           authenticator app.               
 EEM2 CS4G DIX5 O6ZR                                                            
                                               Issuer   twofa                   
 Type      Time-based (TOTP)                   Account  tui-0                   
 Digits    6, every 30 seconds                                                  
 Algorithm SHA-1                               k      Show QR code              
`

func TestReadManualKey(t *testing.T) {
	tests := []struct {
		name    string
		screen  string
		want    string
		wantErr bool
	}{
		{"side pane", wizardScreen, "34N7JOEY4D5RI4D6EEM2CS4GDIX5O6ZR", false},
		{"short last group", "Manual entry key\n\nABCD EFGH IJKL MNOP\nQRST UV\n\nType\n", "ABCDEFGHIJKLMNOPQRSTUV", false},
		{"no title", "Scan the QR code\nABCD EFGH\n", "", true},
		{"title but no key", "Manual entry key\n\nType      Time-based (TOTP)\n", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readManualKey(tt.screen)
			if (err != nil) != tt.wantErr {
				t.Fatalf("readManualKey() error = %v, wantErr %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("readManualKey() = %q, want %q", got, tt.want)
			}
		})
	}
	if !strings.Contains(wizardScreen, "Manual entry key") {
		t.Fatal("fixture lost its title")
	}
}
